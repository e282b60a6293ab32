import { createHash } from 'node:crypto';

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
