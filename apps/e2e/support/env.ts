import { resolve } from 'node:path';

/**
 * Everything the end-to-end tests take from their runner (tools/test.mjs starts the platform
 * and passes these), read in this one place. Defaults fit a platform started by `npm start`.
 */
const env = process.env;

export const E2E = {
  apiUrl: env.E2E_API_URL ?? 'http://127.0.0.1:4000',
  consoleUrl: (env.E2E_CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
  edgeUrl: env.E2E_EDGE_URL ?? 'http://127.0.0.1:8080',
  /** The built-in mock provider the platform under test calls (GATEWAY_MOCK_URL). */
  mockUrl: env.E2E_MOCK_LLM_URL ?? 'http://127.0.0.1:4900',
  /** The edge's loopback-only admin listener (EDGE_ADMIN_PORT). */
  edgeAdminUrl: env.E2E_EDGE_ADMIN_URL ?? 'http://127.0.0.1:8081',
  /** The UDP port of the DNS server the platform verifies custom domains against (DOMAIN_DNS_SERVERS); the tests run a stub there. */
  dnsStubPort: Number(env.E2E_DNS_STUB_PORT ?? 15353),
  chromium: env.E2E_CHROMIUM ?? '/usr/bin/chromium',
  screenshotDir: env.E2E_SCREENSHOT_DIR,
  /** The platform's database, for the few checks only a database can make (a dump, an expired session). */
  databaseUrl: env.DATABASE_URL ?? 'postgresql://slipway@127.0.0.1:54329/slipway',
  /** The loopback port the gateway's allow-list lets providers reach (the attack tests' stand-in for an internet provider). */
  testUpstreamPort: Number(env.E2E_TEST_UPSTREAM_PORT ?? 14901),
  /** The port of the DNS server the gateway resolves providers' names with (the attack tests' own). */
  testDnsPort: Number(env.E2E_TEST_DNS_PORT ?? 14902),
  /** The connections per provider origin the platform under test was started with. */
  upstreamConnections: Number(env.GATEWAY_UPSTREAM_CONNECTIONS ?? 512),
  /** Login and sign-up limits of the platform under test (the config schema's defaults unless set). */
  loginMaxPerAccount: Number(env.LOGIN_MAX_PER_ACCOUNT ?? 10),
  loginMaxPerIp: Number(env.LOGIN_MAX_PER_IP ?? 50),
  loginWindowSeconds: Number(env.LOGIN_WINDOW_SECONDS ?? 900),
  signupMaxPerIp: Number(env.SIGNUP_MAX_PER_IP ?? 20),
  signupWindowSeconds: Number(env.SIGNUP_WINDOW_SECONDS ?? 3600),
  /** Live log streams per user and the organization quotas of the platform under test (the config schema's defaults unless set). */
  logStreamsPerUser: Number(env.LOG_STREAMS_PER_USER ?? 8),
  orgMaxProjects: Number(env.ORG_MAX_PROJECTS ?? 20),
  orgMaxReplicas: Number(env.ORG_MAX_REPLICAS ?? 50),
  orgMaxMemoryMb: Number(env.ORG_MAX_MEMORY_MB ?? 32 * 1024),
  /** The push size limit the platform under test was started with. */
  pushMaxBytes: Number(env.PUSH_MAX_BYTES),
  /** The limits of pushed commits and builds the platform under test was started with (tools/test.mjs). */
  pushMaxBlobBytes: Number(env.PUSH_MAX_BLOB_BYTES ?? 100 * 1024 * 1024),
  pushMaxUnpackedBytes: Number(env.PUSH_MAX_UNPACKED_BYTES ?? 1024 * 1024 * 1024),
  pushMaxFiles: Number(env.PUSH_MAX_FILES ?? 100_000),
  buildDiskMb: Number(env.BUILD_DISK_MB ?? 4096),
  /** What an attacker would love to read: the platform's master key file and its Redis and PostgreSQL. */
  masterKeyFile: resolve(env.SLIPWAY_MASTER_KEY_FILE ?? '.slipway/master.key'),
  redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:63799',
  /** The Docker engine the platform builds on (the attack tests look for what a build left behind). */
  dockerHost: env.DOCKER_HOST,
  /** The configured Node base image (a `{major}` template, or one name). */
  nodeBaseImage: env.SLIPWAY_BASE_IMAGE_NODE,
  /** The configured relay image (the fault tests copy it into their own engine). */
  relayImage: env.SLIPWAY_RELAY_IMAGE ?? 'slipway/relay:1',
  /** The suite's slot (SLIPWAY_TEST_SLOT): the fault tests derive their ports and engine from it. */
  testSlot: Number(env.SLIPWAY_TEST_SLOT ?? 0),
  /** PATH for the git client and pg_dump. */
  path: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
} as const;
