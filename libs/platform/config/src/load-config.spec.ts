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

  it('takes project networks from an aligned IPv4 pool no smaller than one project network', () => {
    expect(loadConfig({})).toMatchObject({ PROJECT_NETWORK_POOL: '10.73.0.0/16', PROJECT_NETWORK_PREFIX: 26 });
    expect(loadConfig({ PROJECT_NETWORK_POOL: '172.30.0.0/20', PROJECT_NETWORK_PREFIX: '27' })).toMatchObject({ PROJECT_NETWORK_POOL: '172.30.0.0/20', PROJECT_NETWORK_PREFIX: 27 });
    const problems = (env: Record<string, string>): string[] => {
      try {
        loadConfig(env);
        return [];
      } catch (e) {
        return (e as ConfigError).problems;
      }
    };
    expect(problems({ PROJECT_NETWORK_POOL: '10.73.1.0/16' })).toEqual([expect.stringMatching(/^PROJECT_NETWORK_POOL: .*first address/)]);
    expect(problems({ PROJECT_NETWORK_POOL: 'fd00::/8' })).toEqual([expect.stringMatching(/^PROJECT_NETWORK_POOL: .*CIDR/)]);
    expect(problems({ PROJECT_NETWORK_POOL: '10.73.0.0/28', PROJECT_NETWORK_PREFIX: '26' })).toEqual([expect.stringMatching(/^PROJECT_NETWORK_PREFIX: .*raise PROJECT_NETWORK_PREFIX or widen the pool/)]);
  });

  it("reads the gateway's upstream allow-list and DNS servers as lists, naming each bad entry", () => {
    expect(loadConfig({})).toMatchObject({ GATEWAY_UPSTREAM_ALLOW: [], GATEWAY_UPSTREAM_DNS: [] });
    const c = loadConfig({ GATEWAY_UPSTREAM_ALLOW: '10.0.0.0/8, 127.0.0.1:4900,[::1]:8000 vllm.internal:8000 fd00::1', GATEWAY_UPSTREAM_DNS: '10.0.0.2,127.0.0.1:5353' });
    expect(c.GATEWAY_UPSTREAM_ALLOW).toEqual(['10.0.0.0/8', '127.0.0.1:4900', '[::1]:8000', 'vllm.internal:8000', 'fd00::1']);
    expect(c.GATEWAY_UPSTREAM_DNS).toEqual(['10.0.0.2', '127.0.0.1:5353']);
    const problems = (() => {
      try {
        loadConfig({ GATEWAY_UPSTREAM_ALLOW: '10.0.0.0/40,http://x,vllm', GATEWAY_UPSTREAM_DNS: 'dns.google' });
      } catch (e) {
        return (e as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      expect.stringMatching(/^GATEWAY_UPSTREAM_ALLOW: "10.0.0.0\/40" is not/),
      expect.stringMatching(/^GATEWAY_UPSTREAM_ALLOW: "http:\/\/x" is not/),
      expect.stringMatching(/^GATEWAY_UPSTREAM_ALLOW: "vllm" is not/),
      expect.stringMatching(/^GATEWAY_UPSTREAM_DNS: "dns.google" is not/),
    ]);
  });

  it('reads proxy lists as addresses and CIDR blocks, loopback by default, and names a bad entry', () => {
    expect(loadConfig({}).TRUSTED_PROXIES).toEqual(['127.0.0.1', '::1']);
    expect(loadConfig({}).CONSOLE_TRUSTED_PROXIES).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' 10.0.0.0/8, fd00::/8 ,192.0.2.7' }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
    expect(loadConfig({ TRUSTED_PROXIES: '' }).TRUSTED_PROXIES).toEqual([]);
    for (const bad of ['console', '10.0.0.0/33', '10.0.0.1/8/8', '::1/129']) {
      expect(() => loadConfig({ TRUSTED_PROXIES: bad }), bad).toThrow(/TRUSTED_PROXIES: List IP addresses or CIDR blocks/);
    }
  });

  it('reads DNS servers for custom-domain verification as ip or ip:port, and refuses anything else', () => {
    expect(loadConfig({}).DOMAIN_DNS_SERVERS).toEqual([]);
    expect(loadConfig({ DOMAIN_DNS_SERVERS: '1.1.1.1, 127.0.0.1:5353,::1,[::1]:53' }).DOMAIN_DNS_SERVERS).toEqual(['1.1.1.1', '127.0.0.1:5353', '::1', '[::1]:53']);
    expect(() => loadConfig({ DOMAIN_DNS_SERVERS: 'dns.example.com' })).toThrow(/DOMAIN_DNS_SERVERS/);
  });

  it('reads the OTLP export settings: headers as name=value pairs (URL-decoded), redacted; a bad endpoint or pair is named without echoing it', () => {
    const c = loadConfig({ OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTLP_HEADERS: 'Authorization=Bearer%20s3cr3t-token, X-Scope-OrgID=ops' });
    expect(c.OTLP_HEADERS).toEqual({ authorization: 'Bearer s3cr3t-token', 'x-scope-orgid': 'ops' });
    expect(c.OTLP_PROTOCOL).toBe('protobuf');
    expect(c.OTLP_EXPORT_SECONDS).toBe(10);
    expect(JSON.stringify(redactConfig(c))).not.toContain('s3cr3t');
    expect(loadConfig({}).OTLP_ENDPOINT).toBeUndefined();
    expect(() => loadConfig({ OTLP_ENDPOINT: 'grpc://collector:4317' })).toThrow(/OTLP_ENDPOINT: Give the base URL/);
    const bad = (() => {
      try {
        loadConfig({ OTLP_HEADERS: 'Bearer s3cr3t-token' });
      } catch (err) {
        return String(err);
      }
      return '';
    })();
    expect(bad).toMatch(/OTLP_HEADERS: Write each header as name=value/);
    expect(bad).not.toContain('s3cr3t');
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
