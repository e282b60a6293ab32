import { Inject, Injectable, Logger, Optional, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CONFIG, type Config } from '@slipway/config';
import { GATEWAY_KEY_PREFIX } from '@slipway/contracts';
import { Envelope, hasValidChecksum, sha256Hex } from '@slipway/crypto';
import { GatewayInvalidation, type GatewayInvalidationEvent } from '@slipway/redis';
import { systemClock, type Clock } from '../resilience/clock';
import { buildCaller } from './build-caller';
import { CallersRepository } from './callers.repository';
import type { GatewayCaller, GatewayCallerResolution } from './gateway-caller';
import { TtlMap } from './ttl-map';

/** Optional `CallerCacheOptions` (tests shorten the TTLs or inject a clock). */
export const CALLER_CACHE_OPTIONS = Symbol('CALLER_CACHE_OPTIONS');

export interface CallerCacheOptions {
  /** How long a resolved key is trusted without asking Postgres; invalidations cut it short. Default 30 s. */
  ttlMs?: number;
  /** How long an unknown token is remembered as unknown. Default 5 s. */
  negativeTtlMs?: number;
  /** Bound on each map. Default 10,000. */
  maxEntries?: number;
  clock?: Clock;
}

/** A key as cached: its resolution (without expiry, which is checked on every use) and what invalidations match on. */
interface CachedKey {
  keyId: string;
  organizationId: string;
  projectId: string;
  environmentId: string | null;
  expiresAt: number | null;
  result: GatewayCallerResolution;
  lastTouched: number;
}

const TOUCH_EVERY_MS = 60_000;

/**
 * Resolves a gateway key to its caller on every model request, so a warm lookup is a hash and
 * a map read. The first use of a key reads Postgres once (concurrent first uses share that
 * read); the answer is kept for `ttlMs`, unknown tokens for `negativeTtlMs`. Revocations,
 * provider and routing-default changes and live-release switches arrive through
 * GatewayInvalidation (Redis pub/sub) and drop the matching entries at once in every process.
 */
@Injectable()
export class GatewayCallerResolver implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('gateway');
  private readonly clock: Clock;
  private readonly known: TtlMap<CachedKey>;
  private readonly unknown: TtlMap<true>;
  private readonly inflight = new Map<string, Promise<CachedKey | null>>();
  /** Bumped by every invalidation: a lookup that started before one does not cache what it read. */
  private epoch = 0;
  private unsubscribe: (() => void) | undefined;
  private readonly mockBaseUrl: string;

  constructor(
    @Inject(CallersRepository) private readonly repository: CallersRepository,
    @Inject(Envelope) private readonly envelope: Envelope,
    @Inject(GatewayInvalidation) private readonly invalidation: GatewayInvalidation,
    @Inject(CONFIG) config: Pick<Config, 'GATEWAY_MOCK_URL'>,
    @Optional() @Inject(CALLER_CACHE_OPTIONS) options: CallerCacheOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    const max = options.maxEntries ?? 10_000;
    this.known = new TtlMap(options.ttlMs ?? 30_000, max, this.clock);
    this.unknown = new TtlMap(options.negativeTtlMs ?? 5_000, max, this.clock);
    this.mockBaseUrl = config.GATEWAY_MOCK_URL.replace(/\/+$/, '');
  }

  onModuleInit(): void {
    this.unsubscribe = this.invalidation.subscribe((event) => this.invalidate(event));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The key's resolution when it is cached (no promise: the common case, on every gateway call), else undefined. */
  cached(token: string): GatewayCallerResolution | undefined {
    const key = this.known.get(sha256Hex(token));
    return key ? this.use(key) : undefined;
  }

  async resolve(token: string): Promise<GatewayCallerResolution> {
    const hash = sha256Hex(token);
    const cached = this.known.get(hash);
    if (cached) return this.use(cached);
    // A token that is not even well-formed never reaches the cache or Postgres.
    if (!hasValidChecksum(token, GATEWAY_KEY_PREFIX) || this.unknown.get(hash)) return INVALID;
    const found = await this.lookup(hash);
    return found ? this.use(found) : INVALID;
  }

  /** Drops what `event` makes stale (also called for this process's own changes, before Redis echoes them). */
  invalidate(event: GatewayInvalidationEvent): void {
    this.epoch++;
    this.inflight.clear();
    if ('all' in event) {
      this.known.clear();
      this.unknown.clear();
    } else if ('keyId' in event) this.known.deleteWhere((k) => k.keyId === event.keyId);
    else if ('organizationId' in event) this.known.deleteWhere((k) => k.organizationId === event.organizationId);
    else if ('projectId' in event) this.known.deleteWhere((k) => k.projectId === event.projectId);
    else this.known.deleteWhere((k) => k.environmentId === event.environmentId);
  }

  private use(key: CachedKey): GatewayCallerResolution {
    if (!key.result.ok) return key.result;
    const now = this.clock.now();
    if (key.expiresAt !== null && key.expiresAt <= now) return EXPIRED;
    if (now - key.lastTouched >= TOUCH_EVERY_MS) {
      key.lastTouched = now;
      this.repository
        .touch(key.keyId, new Date(now))
        .catch((err: unknown) => this.logger.warn(`gateway: could not record last use of key ${key.keyId}: ${String(err)}`));
    }
    return key.result;
  }

  private lookup(hash: string): Promise<CachedKey | null> {
    const running = this.inflight.get(hash);
    if (running) return running;
    const epoch = this.epoch;
    const promise = this.load(hash).then(
      (key) => {
        if (this.inflight.get(hash) === promise) this.inflight.delete(hash);
        if (epoch === this.epoch) {
          if (key) this.known.set(hash, key);
          else this.unknown.set(hash, true);
        }
        return key;
      },
      (err: unknown) => {
        if (this.inflight.get(hash) === promise) this.inflight.delete(hash);
        throw err;
      },
    );
    this.inflight.set(hash, promise);
    return promise;
  }

  private async load(hash: string): Promise<CachedKey | null> {
    const record = await this.repository.findByTokenHash(hash);
    if (!record) return null;
    const base = {
      keyId: record.id,
      organizationId: record.organizationId,
      projectId: record.projectId,
      environmentId: record.environmentId,
      expiresAt: record.expiresAt?.getTime() ?? null,
      lastTouched: record.lastUsedAt?.getTime() ?? 0,
    };
    if (record.revokedAt) return { ...base, result: REVOKED };
    // A key of a deleted environment stops working with it (GatewayKey.environmentId has no foreign key: the row stays for the record).
    if (!record.environmentExists) return { ...base, result: ENVIRONMENT_DELETED };
    const caller: GatewayCaller = buildCaller(record, { envelope: this.envelope, mockBaseUrl: this.mockBaseUrl, logger: this.logger });
    return { ...base, result: { ok: true, caller } };
  }
}

const INVALID: GatewayCallerResolution = { ok: false, reason: 'invalid' };
const REVOKED: GatewayCallerResolution = { ok: false, reason: 'revoked' };
const EXPIRED: GatewayCallerResolution = { ok: false, reason: 'expired' };
const ENVIRONMENT_DELETED: GatewayCallerResolution = { ok: false, reason: 'environment_deleted' };
