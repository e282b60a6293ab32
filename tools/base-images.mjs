#!/usr/bin/env node
// `node tools/base-images.mjs [--force]`: create the platform's local base images when missing
// (names from SLIPWAY_BASE_IMAGE_NODE / SLIPWAY_BASE_IMAGE_STATIC). start.mjs and test.mjs
// call the same function; this entry point is for rebuilding them by hand.
import { createLog, SetupError } from './lib/log.mjs';
import { ensureBaseImages } from './lib/base-images.mjs';

const log = createLog('base-images');
try {
  await ensureBaseImages({ log, force: process.argv.includes('--force') });
} catch (err) {
  log.error(err instanceof SetupError ? err.message : err.stack);
  process.exit(1);
}
