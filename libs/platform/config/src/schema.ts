import { z } from 'zod';

/**
 * Every environment variable Slipway reads, in one schema. `describe` is the documentation
 * (.env.example is checked against it) and SENSITIVE marks values that must be redacted.
 */
const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development').describe('Runtime mode.'),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Minimum log level.'),
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'Use a postgresql:// URL.' })
    .default('postgresql://slipway@127.0.0.1:54329/slipway')
    .describe('PostgreSQL connection URL. `npm start` starts a project-local server when this does not answer.'),
  REDIS_URL: z
    .url({ protocol: /^rediss?$/, error: 'Use a redis:// URL.' })
    .default('redis://127.0.0.1:63799')
    .describe('Redis connection URL. `npm start` starts a project-local server when this does not answer.'),
  DOCKER_HOST: z.string().optional().describe('Docker engine address; the default socket when unset.'),
  API_HOST: z.string().default('127.0.0.1').describe('Interface the api binds.'),
  API_PORT: port(4000).describe('Port of the api (REST, git, model gateway).'),
  EDGE_HOST: z.string().default('127.0.0.1').describe('Interface the edge router binds.'),
  EDGE_PORT: port(8080).describe('Port of the edge router that serves deployed apps.'),
  CONSOLE_PORT: port(3000).describe('Port of the web console.'),
  PUBLIC_API_URL: z.url().default('http://localhost:4000').describe('The api as users reach it (git remotes, docs).'),
  PUBLIC_CONSOLE_URL: z.url().default('http://localhost:3000').describe('The console as users reach it (invitation links).'),
  APPS_DOMAIN: z.string().default('localhost').describe('Deployed apps answer at <project>.<APPS_DOMAIN>:<EDGE_PORT>.'),
  DATA_DIR: z.string().default('.slipway/data').describe('Folder for git repositories and build contexts.'),
  SLIPWAY_MASTER_KEY: z
    .string()
    .optional()
    .describe('Base64 of 32 random bytes: the key that wraps every data key. Keep it out of the database backups.'),
  SLIPWAY_MASTER_KEY_FILE: z
    .string()
    .default('.slipway/master.key')
    .describe('File holding the master key when SLIPWAY_MASTER_KEY is unset; `npm start` generates it on first run.'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7).describe('Session lifetime.'),
  COOKIE_SECURE: bool(false).describe('Mark cookies Secure (set true behind HTTPS).'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024).describe('Largest accepted JSON body.'),
  SLIPWAY_BASE_IMAGE_NODE: z.string().default('slipway/base-node:20').describe('Base image of generated Dockerfiles for Node apps (a registry image such as node:20-slim in production).'),
  SLIPWAY_BASE_IMAGE_STATIC: z.string().default('slipway/base-static:1').describe('Base image of generated Dockerfiles for static sites (must provide busybox httpd).'),
  BUILD_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(900).describe('A build running longer is cancelled and failed.'),
  BUILD_NETWORK: z.enum(['host', 'default']).default('host').describe('Network of build steps (host lets `npm ci` reach the registry).'),
  GIT_HOOKS_DIR: z.string().default('tools/git-hooks').describe("Folder of Slipway's git hooks (pre-receive builds and deploys a push)."),
  BUILD_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2).describe('Builds one worker process runs at once.'),
  DEPLOY_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).default(5).describe('Seconds old replicas keep serving in-flight requests after traffic switches to a new release.'),
  PUSH_MAX_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024).describe('Largest accepted git push (bytes).'),
  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10).describe('Failed logins per account per window.'),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(50).describe('Failed logins per IP per window.'),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60).describe('Login throttling window.'),
  GATEWAY_MOCK_URL: z.url().default('http://127.0.0.1:4900').describe('The built-in mock model provider (`npm start` runs it); the default provider when no real credentials are configured.'),
  GATEWAY_URL_FOR_APPS: z.url().optional().describe('The gateway as deployed containers reach it (ANTHROPIC_BASE_URL / OPENAI_BASE_URL); default http://host.docker.internal:<API_PORT>.'),
  GATEWAY_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(32 * 1024 * 1024).describe('Largest accepted model request body.'),
  GATEWAY_PROVIDER_CONCURRENCY: z.coerce.number().int().min(1).max(100_000).default(256).describe('Requests in flight per provider+model per api process before queueing.'),
  GATEWAY_QUEUE_SIZE: z.coerce.number().int().min(0).max(100_000).default(64).describe('Requests that may wait for a provider slot; beyond that the gateway answers 429 with retry-after.'),
  GATEWAY_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(1).max(60_000).default(2_000).describe('Longest wait for a provider slot.'),
  METRICS_TOKEN: z.string().min(16).optional().describe('Bearer token Prometheus sends to /metrics; without it /metrics answers only loopback clients.'),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;

/** Variables whose values never appear in logs or error output. */
export const SENSITIVE: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['SLIPWAY_MASTER_KEY', 'DATABASE_URL', 'REDIS_URL', 'METRICS_TOKEN']);
