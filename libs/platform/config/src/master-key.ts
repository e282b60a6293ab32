import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from './load-config';
import type { Config } from './schema';

const FIX = 'Run `npm start` once to generate it, or set SLIPWAY_MASTER_KEY to the output of `openssl rand -base64 32`.';

/** The 32-byte master key, from SLIPWAY_MASTER_KEY or the key file. */
export function resolveMasterKey(config: Pick<Config, 'SLIPWAY_MASTER_KEY' | 'SLIPWAY_MASTER_KEY_FILE'>): Buffer {
  let source = 'SLIPWAY_MASTER_KEY';
  let encoded = config.SLIPWAY_MASTER_KEY;
  if (!encoded) {
    const file = resolve(config.SLIPWAY_MASTER_KEY_FILE);
    if (!existsSync(file)) throw new ConfigError([`SLIPWAY_MASTER_KEY: not set and ${file} does not exist. ${FIX}`]);
    source = file;
    encoded = readFileSync(file, 'utf8').trim();
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length !== 32) throw new ConfigError([`${source}: must be base64 of exactly 32 bytes (got ${key.length}). ${FIX}`]);
  return key;
}
