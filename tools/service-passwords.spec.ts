import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordOf, servicePassword, withPassword } from './lib/service-passwords.mjs';
import { psqlTarget } from './lib/postgres.mjs';
import { redact } from './lib/services.mjs';

describe('servicePassword', () => {
  it('generates a random password once, readable by its owner only, and returns the same one after', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'service-passwords-'));
    const first = servicePassword(dir, 'postgres');
    expect(first).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(servicePassword(dir, 'postgres')).toBe(first);
    expect(statSync(path.join(dir, 'postgres.password')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(dir, 'postgres.password'), 'utf8').trim()).toBe(first);
    expect(servicePassword(dir, 'redis')).not.toBe(first);
  });
});

describe('withPassword', () => {
  it('adds the password to a URL that has none', () => {
    expect(withPassword('postgresql://slipway@127.0.0.1:54329/slipway', 's3cret')).toBe('postgresql://slipway:s3cret@127.0.0.1:54329/slipway');
    expect(withPassword('redis://127.0.0.1:63799/2', () => 's3cret')).toBe('redis://:s3cret@127.0.0.1:63799/2');
  });

  it('uses a URL with its own password as given', () => {
    const url = 'postgresql://me:mine@db.example.com:5432/app';
    expect(withPassword(url, () => 'generated')).toBe(url);
  });

  it('escapes what a URL cannot hold and reads it back', () => {
    const url = withPassword('redis://127.0.0.1:63799', 'p@ss:/word');
    expect(passwordOf(url)).toBe('p@ss:/word');
    expect(new URL(url).host).toBe('127.0.0.1:63799');
  });
});

describe('passwords stay off screens and command lines', () => {
  it('redact hides the password of a URL', () => {
    expect(redact('postgresql://slipway:s3cret@127.0.0.1:54329/slipway')).toBe('postgresql://slipway:***@127.0.0.1:54329/slipway');
    expect(redact('redis://:s3cret@127.0.0.1:63799')).not.toContain('s3cret');
  });

  it('psql gets the password in PGPASSWORD, not in its arguments', () => {
    const { args, env } = psqlTarget('postgresql://slipway:s3cret@127.0.0.1:54329/slipway?schema=public', 'slipway_test');
    expect(args).toEqual(['postgresql://slipway@127.0.0.1:54329/slipway_test']);
    expect(env.PGPASSWORD).toBe('s3cret');
  });
});
