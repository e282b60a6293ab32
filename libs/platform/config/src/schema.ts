import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every environment variable Slipway reads, in one schema. `describe` is the documentation
 * (.env.example is checked against it) and SENSITIVE marks values that must be redacted.
 */
const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
/** `1.1.1.1`, `1.1.1.1:53`, `::1` or `[::1]:53`: what node:dns Resolver#setServers takes. */
const dnsServer = (s: string) => isIP(s) !== 0 || (/^(.+):(\d{1,5})$/.exec(s) !== null && isIP(s.replace(/:\d{1,5}$/, '').replace(/^\[(.*)\]$/, '$1')) !== 0);
const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(def ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** A comma- or space-separated list; every entry must pass `valid`, or the message names it. */
const list = (valid: (entry: string) => boolean, what: string) =>
  z
    .string()
    .default('')
    .transform((value, ctx) => {
      const entries = value.split(/[\s,]+/).filter(Boolean);
      for (const entry of entries) if (!valid(entry)) ctx.addIssue({ code: 'custom', message: `"${entry}" is not ${what}.` });
      return entries;
    });
/** OTEL_EXPORTER_OTLP_HEADERS syntax: `key=value,key2=value2`, values URL-encoded. */
function parseHeaderList(value: string, ctx: z.RefinementCtx): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const pair of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = eq > 0 ? pair.slice(0, eq).trim() : '';
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(key)) {
      // The pair itself may hold a credential: name its position, never its text.
      ctx.addIssue({ code: 'custom', message: 'Write each header as name=value (a header name, "=", the URL-encoded value), separated by commas.' });
      continue;
    }
    try {
      headers[key.toLowerCase()] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      ctx.addIssue({ code: 'custom', message: `The value of header ${key} is not valid URL encoding (write a space as %20, a comma as %2C).` });
    }
  }
  return headers;
}
const isPort = (text: string | undefined) => /^\d{1,5}$/.test(text ?? '') && Number(text) >= 1 && Number(text) <= 65_535;
/** `10.0.0.0/8`, `fd00::/8`, `10.1.2.3`, `::1`, `host:port`, `[::1]:port` (the gateway's allow-list syntax). */
function isAllowEntry(entry: string): boolean {
  const [address, bits, extra] = entry.split('/');
  if (bits !== undefined) return extra === undefined && isIP(address!) !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(address!) === 4 ? 32 : 128);
  if (isIP(entry)) return true;
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(entry);
  if (bracketed) return isIP(bracketed[1]!) === 6 && isPort(bracketed[2]);
  const [host, port, more] = entry.split(':');
  return more === undefined && /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?\.?$/.test(host ?? '') && isPort(port);
}
/** `10.0.0.2`, `10.0.0.2:53`, `[fd00::2]:53`: a DNS server (node's Resolver#setServers syntax). */
function isDnsServer(entry: string): boolean {
  if (isIP(entry)) return true;
  const bracketed = /^\[(.+)\]:(\d+)$/.exec(entry);
  if (bracketed) return isIP(bracketed[1]!) === 6 && isPort(bracketed[2]);
  const [address, port] = entry.split(':');
  return isIP(address ?? '') === 4 && isPort(port);
}
/** One IP address, or a CIDR block (`10.0.0.0/8`, `fd00::/8`). */
const isAddressOrCidr = (entry: string): boolean => {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
};
const addressList = (def: string) =>
  z
    .string()
    .default(def)
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrCidr), { message: 'List IP addresses or CIDR blocks, comma-separated (e.g. 127.0.0.1,::1,10.0.0.0/8).' });

/** `a.b.c.d/n` with n from 8 to 28 and no host bits set (the pool's subnets are counted from its first address). */
const isAlignedPool = (cidr: string): boolean => {
  const [address = '', prefixText = ''] = cidr.split('/');
  const prefix = Number(prefixText);
  const start = address.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
  return prefix >= 8 && prefix <= 28 && start % 2 ** (32 - prefix) === 0;
};

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
  EDGE_ADMIN_PORT: port(8081).describe("Port of the edge's admin endpoints (/__edge/metrics, /__edge/status, /__edge/healthz), bound to 127.0.0.1 only; the public port never serves them."),
  CONSOLE_PORT: port(3000).describe('Port of the web console.'),
  PUBLIC_API_URL: z.url().default('http://localhost:4000').describe('The api as users reach it (git remotes, docs).'),
  PUBLIC_CONSOLE_URL: z.url().default('http://localhost:3000').describe('The console as users reach it (invitation links).'),
  APPS_DOMAIN: z.string().default('localhost').describe('Deployed apps answer at <project>.<APPS_DOMAIN>:<EDGE_PORT> (other environments at <project>--<env>.<APPS_DOMAIN>).'),
  API_DOMAIN: z.string().default('api.localhost').describe('Published APIs of the marketplace answer at <listing slug>.<API_DOMAIN>:<EDGE_PORT>, where the edge checks consumer keys and limits.'),
  DOMAIN_DNS_SERVERS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .refine((list) => list.every(dnsServer), 'List DNS server addresses separated by commas: 1.1.1.1, 1.1.1.1:53 or [::1]:53.')
    .describe('DNS servers asked for the TXT records that verify custom domains (comma-separated ip or ip:port); empty: the system resolvers.'),
  DOMAIN_VERIFY_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(72).describe('A custom domain not verified within this many hours of being added is removed.'),
  DOMAIN_RECHECK_SECONDS: z.coerce.number().int().min(5).max(24 * 3600).default(300).describe('How often the worker looks up the TXT records of pending custom domains (and removes expired ones).'),
  OBSERVABILITY_RAW_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7).describe('Days of raw app-traffic samples (one per release per edge flush) kept; older days are dropped as whole partitions.'),
  OBSERVABILITY_ROLLUP_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30).describe('Days of 1-minute and 1-hour app-traffic rollups kept (at least the raw retention is kept whatever this says).'),
  OTLP_ENDPOINT: z
    .url({ protocol: /^https?$/, error: 'Give the base URL of an OTLP/HTTP receiver, e.g. http://otel-collector:4318 (the signal paths /v1/metrics, /v1/traces and /v1/logs are appended).' })
    .optional()
    .describe('Base URL of an OTLP/HTTP collector (e.g. http://otel-collector:4318): the worker exports app-traffic metrics, replica logs and model-gateway spans to <url>/v1/metrics, /v1/traces and /v1/logs. Unset: no export.'),
  OTLP_HEADERS: z
    .string()
    .default('')
    .transform((value, ctx) => parseHeaderList(value, ctx))
    .describe('Headers sent with every OTLP request, as key=value pairs separated by commas (values URL-encoded), e.g. Authorization=Bearer%20abc,X-Scope-OrgID=ops. Redacted in logs.'),
  OTLP_PROTOCOL: z.enum(['protobuf', 'json']).default('protobuf').describe('OTLP/HTTP body encoding: protobuf (application/x-protobuf, what collectors expect by default) or json.'),
  OTLP_EXPORT_SECONDS: z.coerce.number().int().min(1).max(3600).default(10).describe('How often the worker exports what was recorded since its last export.'),
  OTLP_ORGANIZATIONS: list((s) => /^[a-z0-9][a-z0-9-]{0,62}$/.test(s), 'an organization slug').describe(
    'Organization slugs (comma-separated) whose data is exported; empty: every organization.',
  ),
  VERDICT_WINDOW_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(10).describe("Minutes after its deploy a release is watched and compared with the previous release (its verdict, and automatic rollback for environments that opt in); the previous release is measured over as long before the deploy."),
  RESOURCES_SAMPLE_SECONDS: z.coerce.number().int().min(1).max(300).default(5).describe('How often the worker reads the CPU, memory and lifecycle events (restarts, OOM kills) of every running replica container.'),
  LOGS_COLLECT_SECONDS: z.coerce.number().int().min(1).max(300).default(2).describe('How often the worker reads the new stdout/stderr lines of every replica container into PostgreSQL.'),
  LOGS_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7).describe('Days of replica log lines kept; older days are dropped as whole partitions.'),
  LOGS_MAX_BYTES_PER_MINUTE: z.coerce.number().int().min(1024).max(1024 * 1024 * 1024).default(4 * 1024 * 1024).describe('Most bytes of log lines stored per environment per minute; past it lines are dropped and one line says how many.'),
  LOGS_LINE_MAX_CHARS: z.coerce.number().int().min(256).max(1024 * 1024).default(16 * 1024).describe('Longer replica log lines are cut to this many characters, with a note saying how much was cut.'),
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
  COOKIE_SECURE: bool(false).describe('Mark cookies Secure and give them the __Host- prefix (set true behind HTTPS; automatic when PUBLIC_CONSOLE_URL is https).'),
  TRUSTED_PROXIES: addressList('127.0.0.1,::1').describe(
    'Addresses (IPs or CIDR blocks, comma-separated) whose X-Forwarded-For the api believes: the console and any reverse proxy in front of the api. Every other client is counted under its own address, whatever it sends. Empty: believe nobody.',
  ),
  CONSOLE_TRUSTED_PROXIES: addressList('').describe(
    "Reverse proxies in front of the console (a TLS terminator), as IPs or CIDR blocks, whose X-Forwarded-For the console believes; read by apps/console/server.mjs. Empty: the console forwards the address that connected to it.",
  ),
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
  PROJECT_NETWORK_POOL: z
    .cidrv4({ error: 'Give an IPv4 block in CIDR notation, e.g. 10.73.0.0/16.', abort: true })
    .refine(isAlignedPool, 'Give the block by its first address with a prefix from /8 to /28, e.g. 10.73.0.0/16 (not 10.73.1.0/16).')
    .default('10.73.0.0/16')
    .describe("Address block project networks take their subnets from (one subnet per project, recorded in the database). It must not overlap the machine's LAN, VPNs (Tailscale uses 100.64.0.0/10) or Docker's own pools; see docs/capacity.md before changing it."),
  PROJECT_NETWORK_PREFIX: z.coerce
    .number()
    .int()
    .min(16)
    .max(30)
    .default(26)
    .describe('Size of each project network (a /26 holds 61 containers: replicas of all its environments, twice during a deploy, plus the gateway relay); the pool holds 2^(this - pool prefix) projects.'),
  BUILD_MEMORY_MB: z.coerce.number().int().min(256).max(1024 * 1024).default(3072).describe('Memory limit of each build step (MB).'),
  BUILD_CPU_MILLIS: z.coerce.number().int().min(100).max(256_000).default(2000).describe('CPU limit of each build step (1000 = one core).'),
  BUILD_PIDS_LIMIT: z.coerce.number().int().min(64).max(1_000_000).default(2048).describe('Most processes and threads one build step may run.'),
  BUILD_DISK_MB: z.coerce.number().int().min(64).max(1024 * 1024).default(4096).describe('Most the steps of one build may write to their filesystems together (MB, measured about once a second); the build is stopped and fails beyond it.'),
  RELEASE_IMAGES_KEEP: z.coerce.number().int().min(2).max(1000).default(10).describe("Images of the last N releases of each environment are kept (the rollback window); older release images are removed hourly by the worker's images-prune job, unless live or used by a container."),
  BUILD_CACHE_MAX_MB: z.coerce.number().int().min(0).max(16 * 1024 * 1024).default(5120).describe("Size budget of the engine's build cache (MB); images-prune trims it to this size hourly, least recently used first."),
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
  SIGNUP_MAX_PER_IP: z.coerce.number().int().min(1).default(20).describe('Sign-ups per client address per window; more are answered 429 TOO_MANY_SIGNUPS.'),
  SIGNUP_WINDOW_SECONDS: z.coerce.number().int().min(1).default(60 * 60).describe('Sign-up throttling window.'),
  LOG_STREAMS_PER_USER: z.coerce.number().int().min(1).max(1000).default(8).describe('Live log streams (Server-Sent Events) one user may hold open at once, across api processes; more are answered 429 TOO_MANY_STREAMS.'),
  ORG_MAX_PROJECTS: z.coerce.number().int().min(1).default(20).describe('Projects one organization may have; more are refused with 409 QUOTA_EXCEEDED.'),
  ORG_MAX_REPLICAS: z.coerce.number().int().min(1).default(50).describe("Replicas one organization's environments may run together (each environment counts the larger of its settings and its live release)."),
  ORG_MAX_MEMORY_MB: z.coerce.number().int().min(64).default(32 * 1024).describe("Memory (MB, replicas × memory per replica) one organization's environments may run together."),
  MACHINE_MEMORY_RESERVED_MB: z.coerce.number().int().min(0).max(1024 * 1024).default(2048).describe("Memory (MB) of the machine kept for the platform and the system: a deployment whose replicas' memory would take the running replicas' total past the engine's memory minus this is refused with MACHINE_FULL before anything is torn down."),
  MACHINE_DISK_RESERVED_MB: z.coerce.number().int().min(0).max(1024 * 1024 * 1024).default(2048).describe("Free disk (MB) kept on the Docker engine's data root: below it deployments are refused with MACHINE_FULL."),
  PASSWORD_HASH_THREADS: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .optional()
    .describe('Worker threads that hash and check passwords (argon2id) off the event loop; default one less than the CPU count (1 to 4).'),
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
  GATEWAY_UPSTREAM_ALLOW: list(isAllowEntry, 'a CIDR range, an IP address or host:port').describe(
    'Internal upstreams organizations\' providers may call anyway (comma-separated CIDR ranges, IP addresses, host:port): providers may otherwise only reach public internet addresses (never loopback, private, link-local/metadata, CGNAT, ULA…). The built-in mock (GATEWAY_MOCK_URL) needs no entry.',
  ),
  GATEWAY_UPSTREAM_DNS: list(isDnsServer, 'an IP address or ip:port of a DNS server').describe(
    'DNS servers (comma-separated ip or ip:port) that resolve providers\' host names, when saved and on every new connection; default the system resolver (/etc/hosts, then DNS).',
  ),
  GATEWAY_UPSTREAM_MAX_BYTES: z.coerce.number().int().min(64 * 1024).default(8 * 1024 * 1024).describe('Largest non-streamed answer read from a provider (bytes); a larger one fails the call with a 502 and its connection is closed.'),
  GATEWAY_UPSTREAM_MAX_EVENT_BYTES: z.coerce.number().int().min(4 * 1024).default(1024 * 1024).describe('Largest single event (or unfinished line) of a provider\'s stream (bytes); a larger one ends the stream with an error.'),
  GATEWAY_UPSTREAM_CONNECTIONS: z.coerce.number().int().min(1).max(100_000).default(512).describe('Connections per provider origin (scheme, host and port) per api process, shared by every organization calling it.'),
  GATEWAY_ORG_CONNECTION_SHARE: z.coerce.number().int().min(1).max(100).default(50).describe('Percentage of a provider origin\'s connections one organization may use at once; its further calls wait (GATEWAY_QUEUE_SIZE, GATEWAY_QUEUE_TIMEOUT_MS), then get a 429, so other organizations still get through.'),
  GATEWAY_BODY_BYTES_IN_FLIGHT: z.coerce.number().int().min(1024 * 1024).default(256 * 1024 * 1024).describe('Request-body bytes the gateway holds at once across all requests of one api process (at least GATEWAY_MAX_BODY_BYTES); beyond it new bodies get a 503 with retry-after.'),
  GATEWAY_USAGE_BACKLOG_MAX_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).default(20_000).describe("Usage-stream entries (each up to 100 model calls' records) the gateway lets wait for the worker; past it new model calls get a 503 usage_backlog with retry-after until the worker catches up, and no record is ever dropped to make room."),
  METRICS_TOKEN: z.string().min(16).optional().describe('Bearer token Prometheus sends to /metrics; without it /metrics answers only loopback clients.'),
  MARKETPLACE_PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(10_000).default(500).describe("The platform's fee on published APIs' paid invoices, in basis points (500 = 5 %), taken from each publisher's payout statement."),
  MARKETPLACE_PAYMENT_GRACE_DAYS: z.coerce.number().int().min(0).max(365).default(14).describe('Days a finalized API invoice may stay unpaid; past them its subscription is PAST_DUE (calls answer 402) until the invoice is paid.'),
  MARKETPLACE_BANK_TRANSFER_INSTRUCTIONS: z.string().min(1).max(2_000).default('Pay by bank transfer to the publisher and quote the invoice number as the reference; the publisher marks the invoice paid when the money arrives.').describe('What consumers are told on a finalized invoice when payments are manual (the default provider): bank details and the reference to quote.'),
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(live|test)_\w+$/, 'Give a Stripe secret or restricted key (sk_live_…, sk_test_…).').optional().describe('Stripe secret key: with it, finalized API invoices are collected by Stripe PaymentIntents; without it payments are manual (bank transfer, marked paid by the publisher).'),
  STRIPE_WEBHOOK_SECRET: z.string().regex(/^whsec_\w+$/, 'Give the signing secret of the Stripe webhook endpoint (whsec_…).').optional().describe('Signing secret of the Stripe webhook endpoint POST /api/v1/webhooks/stripe; events whose signature does not verify are refused.'),
  STRIPE_CONNECT_ENABLED: bool(false).describe("Pay publishers' payout statements by Stripe Connect transfers to their connected accounts (needs STRIPE_SECRET_KEY); otherwise statements are paid by hand and marked paid."),
  MARKETPLACE_INVOICE_GRACE_MINUTES: z.coerce.number().int().min(0).max(7 * 24 * 60).default(60).describe("Minutes after a subscription's period ends before its draft invoice is finalized; usage arriving until then is still billed, later usage is kept as late and not billed."),
  MARKETPLACE_BILLING_PERIODS_SECONDS: z.coerce.number().int().min(1).max(3600).default(300).describe('How often the worker rolls ended subscription periods, recomputes draft invoices from usage events, finalizes drafts past their grace and resets the balances the edge gates spend caps and prepaid credits by.'),
})
  // Cross-field rule (zod 4 keeps the object's shape, which tools/env-example.spec.ts reads).
  .superRefine((c, ctx) => {
    // Guarded: the refinement may see the object even when one of these two failed on its own.
    const poolPrefix = Number(String(c.PROJECT_NETWORK_POOL ?? '').split('/')[1]);
    if (Number.isInteger(poolPrefix) && Number.isInteger(c.PROJECT_NETWORK_PREFIX) && c.PROJECT_NETWORK_PREFIX < poolPrefix) {
      ctx.addIssue({ code: 'custom', path: ['PROJECT_NETWORK_PREFIX'], message: `Project networks (/${c.PROJECT_NETWORK_PREFIX}) cannot be larger than PROJECT_NETWORK_POOL (${c.PROJECT_NETWORK_POOL}): raise PROJECT_NETWORK_PREFIX or widen the pool.` });
    }
  });

export type Config = z.infer<typeof configSchema>;
export type ConfigKey = keyof Config;

/** Variables whose values never appear in logs or error output. */
export const SENSITIVE: ReadonlySet<ConfigKey> = new Set<ConfigKey>(['SLIPWAY_MASTER_KEY', 'DATABASE_URL', 'REDIS_URL', 'METRICS_TOKEN', 'OTLP_HEADERS', 'STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET']);
