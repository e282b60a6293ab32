import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script with its SHA1, so callers can run it with EVALSHA (see RedisService.evalScript). */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

export function luaScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Redis answers NOSCRIPT when it does not hold the script (after a restart or SCRIPT FLUSH). */
export function isNoScriptError(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

/**
 * Runs a Lua script atomically. EVALSHA sends only the hash; the source goes over the wire
 * only when the server does not hold the script yet (first use, restart, SCRIPT FLUSH).
 */
export async function evalLua(client: Redis, script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (err) {
    if (!isNoScriptError(err)) throw err;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}
