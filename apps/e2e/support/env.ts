/**
 * Everything the end-to-end tests take from their runner (tools/test.mjs starts the platform
 * and passes these), read in this one place. Defaults fit a platform started by `npm start`.
 */
const env = process.env;

export const E2E = {
  apiUrl: env.E2E_API_URL ?? 'http://127.0.0.1:4000',
  consoleUrl: (env.E2E_CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
  edgeUrl: env.E2E_EDGE_URL ?? 'http://127.0.0.1:8080',
  chromium: env.E2E_CHROMIUM ?? '/usr/bin/chromium',
  screenshotDir: env.E2E_SCREENSHOT_DIR,
  /** The platform's database, for the few checks only a database can make (a dump, an expired session). */
  databaseUrl: env.DATABASE_URL ?? 'postgresql://slipway@127.0.0.1:54329/slipway',
  /** Login and sign-up limits of the platform under test (the config schema's defaults unless set). */
  loginMaxPerAccount: Number(env.LOGIN_MAX_PER_ACCOUNT ?? 10),
  loginMaxPerIp: Number(env.LOGIN_MAX_PER_IP ?? 50),
  loginWindowSeconds: Number(env.LOGIN_WINDOW_SECONDS ?? 900),
  signupMaxPerIp: Number(env.SIGNUP_MAX_PER_IP ?? 20),
  signupWindowSeconds: Number(env.SIGNUP_WINDOW_SECONDS ?? 3600),
  /** The push size limit the platform under test was started with. */
  pushMaxBytes: Number(env.PUSH_MAX_BYTES),
  /** PATH for the git client and pg_dump. */
  path: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
} as const;
