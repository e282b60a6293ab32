import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactConfig } from './load-config';
import { resolveMasterKey } from './master-key';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ API_PORT: 4000, EDGE_PORT: 8080, CONSOLE_PORT: 3000, APPS_DOMAIN: 'localhost', COOKIE_SECURE: false });
  });

  it('lists every problem at once, not just the first', () => {
    let error: unknown;
    try {
      loadConfig({ API_PORT: 'eighty', DATABASE_URL: 'mysql://x', COOKIE_SECURE: 'yes', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(problems.sort()).toEqual(['API_PORT', 'COOKIE_SECURE', 'DATABASE_URL', 'LOG_LEVEL']);
    expect((error as Error).message).toContain('.env.example');
  });

  it('reads DNS servers for custom-domain verification as ip or ip:port, and refuses anything else', () => {
    expect(loadConfig({}).DOMAIN_DNS_SERVERS).toEqual([]);
    expect(loadConfig({ DOMAIN_DNS_SERVERS: '1.1.1.1, 127.0.0.1:5353,::1,[::1]:53' }).DOMAIN_DNS_SERVERS).toEqual(['1.1.1.1', '127.0.0.1:5353', '::1', '[::1]:53']);
    expect(() => loadConfig({ DOMAIN_DNS_SERVERS: 'dns.example.com' })).toThrow(/DOMAIN_DNS_SERVERS/);
  });

  it('redacts sensitive values for logging', () => {
    const c = loadConfig({ DATABASE_URL: 'postgresql://u:hunter2@db/x', SLIPWAY_MASTER_KEY: 'secret' });
    const shown = JSON.stringify(redactConfig(c));
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('secret');
  });
});

describe('resolveMasterKey', () => {
  it('reads the key from the variable or the file, and explains how to fix a bad one', () => {
    const key = randomBytes(32).toString('base64');
    expect(resolveMasterKey({ SLIPWAY_MASTER_KEY: key, SLIPWAY_MASTER_KEY_FILE: '/nonexistent' }).length).toBe(32);
    const dir = mkdtempSync(join(tmpdir(), 'mk-'));
    writeFileSync(join(dir, 'k'), `${key}\n`);
    expect(resolveMasterKey({ SLIPWAY_MASTER_KEY: undefined, SLIPWAY_MASTER_KEY_FILE: join(dir, 'k') }).toString('base64')).toBe(key);
    expect(() => resolveMasterKey({ SLIPWAY_MASTER_KEY: undefined, SLIPWAY_MASTER_KEY_FILE: join(dir, 'missing') })).toThrow(/npm start/);
    expect(() => resolveMasterKey({ SLIPWAY_MASTER_KEY: 'c2hvcnQ=', SLIPWAY_MASTER_KEY_FILE: '' })).toThrow(/exactly 32 bytes \(got 5\)/);
  });
});
