import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '@slipway/config';
import { luaScript } from './lua-script';
import { RedisService } from './redis.service';

let redis: RedisService;

beforeAll(() => {
  const url = new URL(loadConfig().REDIS_URL);
  url.pathname = '/11';
  redis = new RedisService({ REDIS_URL: url.toString() } as Config);
});
afterAll(() => redis.onModuleDestroy());

describe('RedisService.evalScript', () => {
  it('runs a script the server has never seen (EVALSHA falls back to EVAL) and then holds it', async () => {
    // A source of its own, so the server cannot already hold it.
    const script = luaScript(`-- ${randomUUID()}\nreturn {KEYS[1], ARGV[1]}`);
    expect(await redis.client.script('EXISTS', script.sha)).toEqual([0]);
    expect(await redis.evalScript(script, ['k'], [7])).toEqual(['k', '7']);
    expect(await redis.client.script('EXISTS', script.sha)).toEqual([1]);
    expect(await redis.evalScript(script, ['k2'], ['x'])).toEqual(['k2', 'x']);
  });

  it('passes script errors on', async () => {
    const script = luaScript(`-- ${randomUUID()}\nreturn redis.call('NOSUCHCOMMAND')`);
    await expect(redis.evalScript(script, [], [])).rejects.toThrow(/Unknown Redis command|unknown command/i);
  });
});
