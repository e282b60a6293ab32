// Prisma CLI configuration (Prisma 7 reads no .env and no package.json "prisma" key).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'prisma/config';

// The CLI would otherwise download the native schema engine, which these machines and
// air-gapped installs cannot reach. The project's own stand-in runs the same engine as Wasm
// (see tools/prisma-schema-engine.mjs). `??=`: an engine path set from outside wins.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(__dirname, 'tools', 'prisma-schema-engine.mjs');
// Nor should every command phone checkpoint.prisma.io for an update notice (a DNS failure here,
// a lookup that can hang on air-gapped networks).
process.env.CHECKPOINT_DISABLE ??= '1';

// `npm start` / `npm run services` keep the URLs of the services in use, with the passwords of
// project-local servers, in .slipway/services.env (tools/lib/services.mjs); variables already set win.
const servicesEnv = path.join(__dirname, '.slipway', 'services.env');
if (existsSync(servicesEnv)) process.loadEnvFile(servicesEnv);

// Same default as libs/platform/config, so `npm run db:migrate` works against the dev database
// with nothing set.
const DEFAULT_DATABASE_URL = 'postgresql://slipway@127.0.0.1:54329/slipway';

export default defineConfig({
  // A folder: schema.prisma (generator, datasource) plus models/*.prisma, one per bounded context.
  schema: path.join(__dirname, 'prisma'),
  migrations: { path: path.join(__dirname, 'prisma', 'migrations') },
  datasource: { url: process.env.DATABASE_URL || DEFAULT_DATABASE_URL },
});
