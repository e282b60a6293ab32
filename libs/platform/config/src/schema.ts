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
  SLIPWAY_BASE_IMAGE_NODE: z
    .string()
    .regex(/\{major\}/, 'Put {major} where the Node major (20, 22 or 24) goes, e.g. node:{major}-slim.')
    .default('slipway/node:{major}')
    .describe('Base image of Node builds; {major} becomes 20, 22 or 24 (node:{major}-slim from a registry in production). Needs node, npm, corepack and sh.'),
  SLIPWAY_BASE_IMAGE_STATIC: z.string().default('slipway/static:1').describe('Base image that serves static sites (needs nginx on PATH; nginx:1-alpine from a registry in production).'),
  SLIPWAY_RELAY_IMAGE: z.string().default('slipway/relay:1').describe('Image of the gateway relay on each project network (needs socat; alpine/socat from a registry in production).'),
  BUILD_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(900).describe('A build running longer is cancelled and failed.'),
  BUILD_NETWORK: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'Give a Docker network name.')
    .refine((name) => !['host', 'none', 'bridge', 'default'].includes(name), 'Builds run on a network of their own, never host, none, bridge or default.')
    .default('slipway-builds')
    .describe('Docker network of build steps; the worker creates it (registry reachable, no traffic between builds, host services not).'),
  BUILD_MEMORY_MB: z.coerce.number().int().min(256).max(1024 * 1024).default(3072).describe('Memory limit of each build step (MB).'),
  BUILD_CPU_MILLIS: z.coerce.number().int().min(100).max(256_000).default(2000).describe('CPU limit of each build step (1000 = one core).'),
  BUILD_PIDS_LIMIT: z.coerce.number().int().min(64).max(1_000_000).default(2048).describe('Most processes and threads one build step may run.'),
  BUILD_DISK_MB: z.coerce.number().int().min(64).max(1024 * 1024).default(4096).describe('Most the steps of one build may write to their filesystems together (MB, measured about once a second); the build is stopped and fails beyond it.'),
  BUILD_LOG_MAX_BYTES: z.coerce.number().int().min(64 * 1024).max(1024 * 1024 * 1024).default(8 * 1024 * 1024).describe('Build output kept per build; beyond it lines are dropped (the build goes on) and the log says so.'),
  BUILD_LOG_LINE_MAX_CHARS: z.coerce.number().int().min(200).max(1024 * 1024).default(4096).describe('Longer build output lines are cut to this length.'),
  SLIPWAY_BUILD_CA_FILE: z.string().optional().describe("CA bundle trusted inside builds (TLS-inspecting proxies); default the host's /etc/ssl/certs/ca-certificates.crt when present."),
  SLIPWAY_NPM_REGISTRY: z.url().optional().describe('npm registry used by builds (npm, yarn, pnpm, corepack); default the package managers\' own.'),
  GIT_HOOKS_DIR: z.string().default('tools/git-hooks').describe("Folder of Slipway's git hooks (pre-receive builds and deploys a push)."),
  BUILD_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2).describe('Builds one worker process runs at once.'),
  DEPLOY_DRAIN_SECONDS: z.coerce.number().int().min(0).max(600).default(5).describe('Seconds old replicas keep serving in-flight requests after traffic switches to a new release.'),
  PUSH_MAX_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024).describe('Largest accepted git push (bytes).'),
  PUSH_MAX_UNPACKED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024 * 1024).describe('Largest total size of the files of a pushed commit (bytes).'),
  PUSH_MAX_FILES: z.coerce.number().int().min(1).default(100_000).describe('Most files a pushed commit may hold.'),
  PUSH_MAX_BLOB_BYTES: z.coerce.number().int().min(1024).default(100 * 1024 * 1024).describe('Largest single file of a pushed commit (bytes).'),
  PUSH_WAIT_SECONDS: z.coerce.number().int().min(10).max(24 * 3600).default(1800).describe('Longest a git push waits for its builds and deployments; past it the push ends (failing only if something failed) and says where the console follows the rest.'),
  PUSH_QUEUE_WAIT_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(120).describe('Longest a git push waits for a worker to start its build or deployment (all busy, or none running) before it ends and says where to follow it.'),
  LOGIN_MAX_PER_ACCOUNT: z.coerce.number().int().min(1).default(10).describe('Failed logins per account per window.'),
  LOGIN_MAX_PER_IP: z.coerce.number().int().min(1).default(50).describe('Failed logins per IP per window.'),
  LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(15 * 60).describe('Login throttling window.'),
  GATEWAY_MOCK_URL: z.url().default('http://127.0.0.1:4900').describe('The built-in mock model provider (`npm start` runs it); the default provider when no real credentials are configured.'),
  GATEWAY_URL_FOR_APPS: z.url().optional().describe('The gateway as deployed containers reach it (ANTHROPIC_BASE_URL / OPENAI_BASE_URL); default the relay on each project network, http://slipway-gateway:4000.'),
  GATEWAY_SOCKET_PATH: z.string().default('.slipway/run/gateway.sock').describe('Unix socket on which the api answers the gateway (/v1/* only) for the relays on project networks.'),
  GATEWAY_SOCKET_MOUNT: z
    .string()
    .regex(/^(\/[^:]+|[A-Za-z0-9][A-Za-z0-9_.-]*)$/, 'Give an absolute host folder (/…) or a Docker volume name.')
    .optional()
    .describe('What relay containers mount to reach GATEWAY_SOCKET_PATH: a host folder or a Docker volume name; default the socket\'s folder.'),
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
