// Lint enforces the layering of DESIGN.md: apps → domain → platform → contracts, vendor SDKs
// only in their platform lib, process.env only in the config lib.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const VENDOR_SDKS = ['@prisma/client', '@prisma/adapter-pg', 'pg', 'dockerode', 'bullmq', 'ioredis', 'undici', '@anthropic-ai/sdk', 'openai', 'hash-wasm', '@opentelemetry/otlp-transformer', '@opentelemetry/resources', '@opentelemetry/sdk-metrics', '@opentelemetry/sdk-trace', '@opentelemetry/sdk-logs', 'stripe'];
const vendor = (except = []) =>
  VENDOR_SDKS.filter((p) => !except.includes(p)).map((name) => ({
    name,
    message: `Vendor SDKs live in libs/platform (DESIGN.md). Use the platform lib that wraps ${name}.`,
  }));
const layer = (names, why) => names.map((group) => ({ group: [group], message: why }));
const APP_PKGS = ['@slipway/api', '@slipway/worker', '@slipway/edge', '@slipway/console'];
const DOMAIN_PKGS = ['@slipway/identity', '@slipway/audit', '@slipway/projects', '@slipway/secrets', '@slipway/builds', '@slipway/deployments', '@slipway/gateway', '@slipway/observability', '@slipway/billing', '@slipway/marketplace'];
const restrict = (paths, patterns = []) => ['error', { paths, patterns }];
const noProcessEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: 'Read configuration through @slipway/config; process.env is parsed only there.',
};

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/generated/**', '.nx/**', '.slipway/**', 'apps/console/next-env.d.ts', 'libs/testing/sample-apps/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', noProcessEnv, { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['libs/contracts/**/*.ts'],
    rules: { 'no-restricted-imports': restrict(vendor(), layer(['@slipway/*'], 'contracts depend on nothing of ours.')) },
  },
  {
    files: ['libs/platform/**/*.ts'],
    rules: { 'no-restricted-imports': restrict([], layer([...APP_PKGS, ...DOMAIN_PKGS], 'platform libs never import domain or apps.')) },
  },
  {
    files: ['libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts'],
    rules: { 'no-restricted-imports': restrict(vendor(), layer(APP_PKGS, 'domain libs never import apps.')) },
  },
  {
    files: ['apps/**/*.ts', 'apps/**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.int-support.ts', 'apps/e2e/**'],
    rules: { 'no-restricted-imports': restrict(vendor(), layer(APP_PKGS, 'apps never import each other.')) },
  },
  {
    // The config lib is the one place that reads process.env; tools and config files run outside the apps.
    files: ['libs/platform/config/**', 'tools/**', '**/*.config.*', 'apps/console/proxy.ts', 'apps/console/server.mjs', 'apps/e2e/**', '**/*.int-spec.ts', '**/*.int-support.ts', 'apps/edge/bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Black-box tests read answers as untyped JSON, as any client of the API would.
    files: ['apps/e2e/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['apps/console/**/*.tsx', 'apps/console/app/**/*.ts'],
    rules: { 'no-restricted-syntax': 'off' }, // Next.js requires default exports for pages and layouts.
  },
  {
    files: ['tools/**/*.mjs', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', fetch: 'readonly', AbortController: 'readonly', performance: 'readonly' } },
  },
);
