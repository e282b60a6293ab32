#!/usr/bin/env node
// `node tools/base-images.mjs [--force]`: make the platform's local base images that are
// missing or out of date (slipway/node:20|22|24, slipway/static:1, slipway/relay:1; names from
// SLIPWAY_BASE_IMAGE_NODE / SLIPWAY_BASE_IMAGE_STATIC / SLIPWAY_RELAY_IMAGE). start.mjs and
// test.mjs call the same function; this entry point is for remaking them by hand. --force
// remakes them from the download cache (.slipway/cache/base-images; delete it to pick up newer
// Node, npm and corepack releases).
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLog, SetupError } from './lib/log.mjs';
import { ensureBaseImages } from './lib/base-images.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const log = createLog('base-images');
try {
  const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
  const stateDir = process.env.SLIPWAY_STATE_DIR || path.join(root, '.slipway');
  await ensureBaseImages({ log, root, stateDir, force: values.force });
} catch (err) {
  log.error(err instanceof SetupError ? err.message : err.stack);
  process.exit(1);
}
