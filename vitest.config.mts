import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// `npm start` / `npm run services` keep the URLs of the services in use, with the passwords of
// project-local servers, in .slipway/services.env (tools/lib/services.mjs), so `npx vitest run
// --project int` reaches them; variables already set (npm test sets them) win.
const servicesEnv = new URL('.slipway/services.env', import.meta.url);
if (existsSync(servicesEnv)) process.loadEnvFile(servicesEnv);

// Three tiers with fixed names (CONVENTIONS.md #9). Workspace packages resolve to their
// TypeScript sources through the `@slipway/source` export condition, so tests need no build.
const shared = {
  resolve: { conditions: ['@slipway/source'] },
  ssr: { resolve: { conditions: ['@slipway/source'] } },
};

export default defineConfig({
  test: {
    projects: [
      { ...shared, test: { name: 'unit', include: ['{apps,libs,tools}/**/*.spec.ts'], exclude: ['**/node_modules/**', '**/dist/**'], isolate: false } },
      { ...shared, test: { name: 'int', include: ['{apps,libs,tools}/**/*.int-spec.ts'], exclude: ['**/node_modules/**', '**/dist/**'], isolate: false, fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 } },
      { ...shared, test: { name: 'e2e', include: ['apps/e2e/**/*.e2e.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 } },
    ],
  },
});
