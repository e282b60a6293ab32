import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisService } from './redis.service';

/** Pub/sub channel every api process follows to drop cached gateway callers. */
export const GATEWAY_INVALIDATION_CHANNEL = 'slipway:gateway:invalidate';

/**
 * What changed: one key (revoked), everything of an organization (providers, routing
 * defaults), one project (deleted: its keys went with it), one environment (its live release,
 * or the environment deleted), or `all` (this process may have missed messages while its
 * subscription was down).
 */
export type GatewayInvalidationEvent = { keyId: string } | { organizationId: string } | { projectId: string } | { environmentId: string } | { all: true };

export type GatewayInvalidationListener = (event: GatewayInvalidationEvent) => void;

/**
 * Tells every api process that cached gateway callers are stale. `publish` applies the event
 * to this process's listeners at once (a revoke is effective here before the call returns),
 * then sends it to the others through Redis. The gateway and the deployments context both use
 * it, so neither has to import the other.
 */
@Injectable()
export class GatewayInvalidation implements OnModuleDestroy {
  private readonly logger = new Logger('gateway');
  private readonly listeners = new Set<GatewayInvalidationListener>();
  private subscriber: Redis | undefined;
  private subscribed: Promise<void> | undefined;

  constructor(@Inject(RedisService) private readonly redis: RedisService) {}

  async publish(event: GatewayInvalidationEvent): Promise<void> {
    this.deliver(event);
    await this.redis.client.publish(GATEWAY_INVALIDATION_CHANNEL, JSON.stringify(event));
  }

  /**
   * `publish` after a committed change that must not fail for it: this process applies the
   * event at once; if Redis does not take it, the others drop their entry when it expires
   * (≤ 30 s) and the failure is logged.
   */
  async announce(event: GatewayInvalidationEvent): Promise<void> {
    try {
      await this.publish(event);
    } catch (err) {
      this.logger.warn(
        `gateway: could not tell other api processes (${JSON.stringify(event)}): ${err instanceof Error ? err.message : String(err)}; their cached keys expire within 30 s`,
      );
    }
  }

  /** Follows events from this and every other process until the returned function is called. */
  subscribe(listener: GatewayInvalidationListener): () => void {
    this.listeners.add(listener);
    this.follow();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stop();
    };
  }

  /** Resolves once the Redis subscription is active (tests wait for it before publishing elsewhere). */
  async ready(): Promise<void> {
    await this.subscribed;
  }

  onModuleDestroy(): void {
    this.listeners.clear();
    this.stop();
  }

  private follow(): void {
    if (this.subscriber) return;
    // A subscribed connection cannot run other commands: it gets one of its own.
    const sub = this.redis.client.duplicate();
    this.subscriber = sub;
    sub.on('error', () => undefined); // ioredis reconnects on its own; a lost message only delays (see `all`)
    sub.on('message', (channel: string, message: string) => {
      if (channel !== GATEWAY_INVALIDATION_CHANNEL) return;
      const event = parseEvent(message);
      if (event) this.deliver(event);
    });
    let connectedOnce = false;
    sub.on('ready', () => {
      // Messages published while the connection was down are gone: drop everything cached.
      if (connectedOnce) this.deliver({ all: true });
      connectedOnce = true;
    });
    this.subscribed = sub.subscribe(GATEWAY_INVALIDATION_CHANNEL).then(
      () => undefined,
      (err: Error) => this.logger.warn(`gateway invalidation: cannot subscribe: ${err.message}`),
    );
  }

  private stop(): void {
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    this.subscribed = undefined;
  }

  private deliver(event: GatewayInvalidationEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error(`gateway invalidation listener failed: ${String(err)}`);
      }
    }
  }
}

function parseEvent(message: string): GatewayInvalidationEvent | null {
  try {
    const e = JSON.parse(message) as Record<string, unknown>;
    if (typeof e.keyId === 'string') return { keyId: e.keyId };
    if (typeof e.organizationId === 'string') return { organizationId: e.organizationId };
    if (typeof e.projectId === 'string') return { projectId: e.projectId };
    if (typeof e.environmentId === 'string') return { environmentId: e.environmentId };
    if (e.all === true) return { all: true };
  } catch {
    // not ours
  }
  return null;
}
