import { describe, expect, it } from 'vitest';
import { GATEWAY_KEY_PREFIX } from '@slipway/contracts';
import { Envelope, generateSecretToken, sha256Hex } from '@slipway/crypto';
import type { GatewayInvalidation, GatewayInvalidationListener } from '@slipway/redis';
import type { CallerRecord, CallersRepository } from './callers.repository';
import { GatewayCallerResolver, type CallerCacheOptions } from './gateway-caller-resolver';

const clock = { t: 1_000_000, now: () => clock.t };

const record = (id: string, over: Partial<CallerRecord> = {}): CallerRecord => ({
  id,
  organizationId: 'org',
  projectId: 'proj',
  environmentId: 'env',
  environmentExists: true,
  scopes: ['messages', 'models'],
  monthlyBudgetMicros: null,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  releaseId: null,
  releaseNumber: null,
  releaseGateway: null,
  orgDefaults: null,
  providers: [],
  ...over,
});

/** An in-memory CallersRepository that counts reads and can hold them until released. */
class FakeRepository {
  rows = new Map<string, CallerRecord>();
  reads = 0;
  touches: string[] = [];
  hold: Promise<void> | null = null;
  async findByTokenHash(hash: string): Promise<CallerRecord | null> {
    this.reads++;
    if (this.hold) await this.hold;
    return this.rows.get(hash) ?? null;
  }
  async touch(keyId: string): Promise<void> {
    this.touches.push(keyId);
  }
}

function setup(options: CallerCacheOptions = {}) {
  const repo = new FakeRepository();
  let listener: GatewayInvalidationListener = () => undefined;
  const invalidation = {
    subscribe: (l: GatewayInvalidationListener) => ((listener = l), () => undefined),
  } as unknown as GatewayInvalidation;
  const resolver = new GatewayCallerResolver(
    repo as unknown as CallersRepository,
    Envelope.fromMasterKeys(Buffer.alloc(32, 7)),
    invalidation,
    { GATEWAY_MOCK_URL: 'http://mock.test/' },
    { clock, ...options },
  );
  resolver.onModuleInit();
  const key = (id: string, over: Partial<CallerRecord> = {}) => {
    const token = generateSecretToken(GATEWAY_KEY_PREFIX);
    repo.rows.set(sha256Hex(token), record(id, over));
    return token;
  };
  return { repo, resolver, key, invalidate: (e: Parameters<GatewayInvalidationListener>[0]) => listener(e) };
}

describe('GatewayCallerResolver cache', () => {
  it('trusts a resolved key for 30 s, then reads it again', async () => {
    const { repo, resolver, key } = setup();
    const token = key('k1');
    expect(await resolver.resolve(token)).toMatchObject({
      ok: true,
      caller: { keyId: 'k1', providers: [{ name: 'mock', baseUrl: 'http://mock.test', apiKey: 'mock' }] },
    });
    clock.t += 29_999;
    await resolver.resolve(token);
    expect(repo.reads).toBe(1);
    clock.t += 1;
    await resolver.resolve(token);
    expect(repo.reads).toBe(2);
  });

  it('remembers an unknown token for 5 s, in a bounded map', async () => {
    const { repo, resolver } = setup({ maxEntries: 2 });
    const [a, b, c] = [0, 1, 2].map(() => generateSecretToken(GATEWAY_KEY_PREFIX)) as [string, string, string];
    expect(await resolver.resolve(a)).toEqual({ ok: false, reason: 'invalid' });
    await resolver.resolve(a);
    expect(repo.reads).toBe(1);
    clock.t += 5_000;
    await resolver.resolve(a);
    expect(repo.reads).toBe(2);
    // b and c push a out of the two-entry map.
    await resolver.resolve(b);
    await resolver.resolve(c);
    await resolver.resolve(a);
    expect(repo.reads).toBe(5);
  });

  it('rejects a malformed token without reading anything', async () => {
    const { repo, resolver } = setup();
    expect(await resolver.resolve('sk-slw-abc')).toEqual({ ok: false, reason: 'invalid' });
    expect(await resolver.resolve(`Bearer ${generateSecretToken(GATEWAY_KEY_PREFIX)}`)).toEqual({ ok: false, reason: 'invalid' });
    expect(repo.reads).toBe(0);
  });

  it('answers expired once a cached key passes its expiry, without waiting for the entry to go', async () => {
    const { resolver, key } = setup({ ttlMs: 3_600_000 });
    const token = key('k2', { expiresAt: new Date(clock.t + 10_000) });
    expect((await resolver.resolve(token)).ok).toBe(true);
    clock.t += 10_000;
    expect(await resolver.resolve(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('records last use at most once a minute per key', async () => {
    const { repo, resolver, key } = setup({ ttlMs: 3_600_000 });
    const token = key('k3');
    for (let i = 0; i < 120; i++) {
      await resolver.resolve(token);
      clock.t += 1_000;
    }
    expect(repo.touches).toEqual(['k3', 'k3']);
  });

  it('drops exactly the entries an invalidation names', async () => {
    const { repo, resolver, key, invalidate } = setup();
    const [t1, t2, t3] = [
      key('a', { environmentId: 'e1' }),
      key('b', { environmentId: 'e2' }),
      key('c', { organizationId: 'other', environmentId: 'e3' }),
    ];
    for (const t of [t1, t2, t3]) await resolver.resolve(t);
    invalidate({ environmentId: 'e1' });
    invalidate({ keyId: 'c' });
    for (const t of [t1, t2, t3]) await resolver.resolve(t);
    expect(repo.reads).toBe(5);
    invalidate({ organizationId: 'org' });
    for (const t of [t1, t2, t3]) await resolver.resolve(t);
    expect(repo.reads).toBe(7);
  });

  it('does not keep what a lookup read before an invalidation that arrived meanwhile', async () => {
    const { repo, resolver, key, invalidate } = setup();
    const token = key('k4');
    let release!: () => void;
    repo.hold = new Promise((r) => (release = r));
    const pending = resolver.resolve(token);
    invalidate({ keyId: 'k4' });
    release();
    expect((await pending).ok).toBe(true);
    repo.hold = null;
    await resolver.resolve(token);
    expect(repo.reads).toBe(2);
  });
});
