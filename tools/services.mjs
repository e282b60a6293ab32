#!/usr/bin/env node
// `npm run services`: start (or find) PostgreSQL, Redis and Docker for development and leave
// them running, e.g. to run `npm run test:int` or an app in watch mode.
// `npm run services -- stop` stops the project-local PostgreSQL and Redis it started.
// The URLs (with the generated passwords) are written to .slipway/services.env.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLog, SetupError } from './lib/log.mjs';
import { ensureServices, redact, servicesEnvFile } from './lib/services.mjs';
import { stopLocalPostgres } from './lib/postgres.mjs';
import { stopLocalRedis } from './lib/redis.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stateDir = process.env.SLIPWAY_STATE_DIR || path.join(root, '.slipway');
const log = createLog('services');

try {
  if (process.argv[2] === 'stop') {
    stopLocalPostgres({ stateDir, log });
    await stopLocalRedis({ stateDir, log });
  } else {
    const { env, started } = await ensureServices({ log, root, stateDir });
    const docker = started.includes('dockerd') ? `; dockerd stays up for deployed apps (PID in ${path.relative(root, path.join(stateDir, 'dockerd.pid'))})` : '';
    log.info(started.length ? `started: ${started.join(', ')} (left running; \`npm run services -- stop\` stops PostgreSQL and Redis${docker})` : 'all services were already running');
    // The URLs carry passwords: shown redacted; the file has them for a shell or a tool.
    console.log(`DATABASE_URL=${redact(env.DATABASE_URL)}\nREDIS_URL=${redact(env.REDIS_URL)}`);
    const rel = path.relative(process.cwd(), servicesEnvFile(stateDir));
    const file = rel.startsWith('..') ? servicesEnvFile(stateDir) : rel;
    log.info(`with their passwords in ${file} (vitest and prisma read it; in a shell: set -a; . ${file}; set +a)`);
  }
} catch (err) {
  log.error(err instanceof SetupError ? err.message : err.stack);
  process.exit(1);
}
