import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { CONFIG, type Config } from '@slipway/config';
import { evalLua, type LuaScript } from './lua-script';

/** The shared Redis connection. Commands fail fast when Redis is down instead of queueing forever. */
@Injectable()
export class RedisService implements OnModuleDestroy {
  readonly client: Redis;

  constructor(@Inject(CONFIG) config: Config) {
    this.client = new Redis(config.REDIS_URL, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: true,
      connectTimeout: 2_000,
    });
    // Errors surface through the failing command; the event only needs a listener.
    this.client.on('error', () => undefined);
  }

  async ping(): Promise<boolean> {
    try {
      return (await withTimeout(this.client.ping(), 1_000)) === 'PONG';
    } catch {
      return false;
    }
  }

  /**
   * Follows a pub/sub channel on a connection of its own (a subscribed connection cannot run
   * other commands). Returns the function that stops following.
   */
  subscribe(channel: string, onMessage: (message: string) => void): () => void {
    const subscriber = this.client.duplicate();
    subscriber.on('error', () => undefined);
    subscriber.on('message', (ch: string, message: string) => ch === channel && onMessage(message));
    void subscriber.subscribe(channel).catch(() => undefined);
    return () => subscriber.disconnect();
  }

  /** Runs a Lua script atomically (EVALSHA, the source only when Redis lacks it: `evalLua`). */
  evalScript(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return evalLua(this.client, script, keys, args);
  }

  /**
   * XADDs every payload to `stream` as field `field` in one pipeline (one round trip), and reads
   * the stream's length after them (XLEN, same round trip). Never trims: entries are removed
   * only once their readers acknowledged them (see `trimAcknowledged`). Returns the indexes of
   * payloads that were not added, and the length (null if unknown).
   */
  async xaddBatch(stream: string, field: string, payloads: readonly string[]): Promise<{ failed: number[]; length: number | null }> {
    const pipe = this.client.pipeline();
    for (const p of payloads) pipe.xadd(stream, '*', field, p);
    pipe.xlen(stream);
    const res = (await pipe.exec()) ?? [];
    const failed: number[] = [];
    payloads.forEach((_, i) => {
      if (!res[i] || res[i][0]) failed.push(i);
    });
    const last = res[payloads.length];
    return { failed, length: last && !last[0] ? Number(last[1]) : null };
  }

  async onModuleDestroy(): Promise<void> {
    this.client.disconnect();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
