import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type OpenAI from 'openai';
import { loadConfig, type Config } from '@slipway/config';
import { createMockLlmServer, createTestDatabase, type MockLlmServer } from '@slipway/testing';
import { createApi } from '../bootstrap';
import { GatewaySocketServer } from './gateway-socket.server';

type MockOptions = Parameters<typeof createMockLlmServer>[0];

/** A signed-in user of the api under test (session cookie + CSRF token, as the console sends). */
export class HarnessUser {
  private cookie = '';
  private csrf = '';

  constructor(private readonly baseUrl: string) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are read as untyped JSON, as any client would
  async call<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const cookies = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
    if (cookies.length) this.cookie = cookies.join('; ');
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as T & { csrfToken?: string }) : (undefined as T);
    const csrf = (parsed as { csrfToken?: unknown } | undefined)?.csrfToken;
    if (typeof csrf === 'string') this.csrf = csrf;
    return { status: res.status, body: parsed };
  }

  /** A GET whose answer is not JSON (a PDF, a CSV): the raw response, with the session cookie sent. */
  download(path: string): Promise<Response> {
    return fetch(this.baseUrl + path, { headers: this.cookie ? { cookie: this.cookie } : {} });
  }
}

export interface GatewayHarness {
  app: NestFastifyApplication;
  /** The api, e.g. `http://127.0.0.1:41234`: SDKs use it as their base URL. */
  url: string;
  /** The gateway socket (in the harness's data folder), when started with `socket: true`. */
  socketPath?: string;
  mock: MockLlmServer;
  owner: HarnessUser;
  org: string;
  project: string;
  /** The project's environment (its production environment, created with it). */
  environment: string;
  /** A project-wide gateway key with every scope. */
  key: string;
  /** Creates another key of the project. */
  createKey(input?: Record<string, unknown>): Promise<{ id: string; token: string }>;
  /** Replaces the organization's routing defaults (slipway.yaml `gateway:` shape). */
  setRouting(config: unknown): Promise<void>;
  close(): Promise<void>;
}

/** The api's configuration in a test: its own database, data folder and master key, quiet logs. */
export function apiTestConfig(databaseUrl: string, dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'error',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    SLIPWAY_MASTER_KEY: randomBytes(32).toString('base64'),
    // Every test signs up from 127.0.0.1 into a Redis shared across runs; the sign-up limit has
    // its own tests (identity.int-spec, apps/e2e/attacks/auth.e2e.ts).
    SIGNUP_MAX_PER_IP: 1_000_000,
    ...overrides,
  };
}

/**
 * The real api in-process (Fastify on a loopback port, real PostgreSQL and Redis) with the mock
 * provider as its default upstream, and a user, org, project and gateway key created through
 * the REST API — what a user does before pointing an SDK at the gateway.
 */
export async function startGatewayHarness(options: { mock?: MockOptions; config?: Partial<Config>; socket?: boolean } = {}): Promise<GatewayHarness> {
  const db = await createTestDatabase();
  const mock = await createMockLlmServer({ tokensPerSecond: 0, ...options.mock });
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-gw-'));
  const config = apiTestConfig(db.url, dataDir, {
    GATEWAY_MOCK_URL: mock.url,
    // The api's own port in its config: platform features (Explain this failure) call the gateway there.
    API_PORT: await freePort(),
    ...options.config,
    // Specs add the mock as an organization's provider too: that is a loopback upstream, which only the operator may allow.
    GATEWAY_UPSTREAM_ALLOW: [new URL(mock.url).host, ...(options.config?.GATEWAY_UPSTREAM_ALLOW ?? [])],
  });
  let app: NestFastifyApplication | null = null;
  try {
    app = await createApi(config);
    await app.listen(config.API_PORT, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${address.port}`;
    const socketPath = options.socket ? await app.get(GatewaySocketServer).listen(join(dataDir, 'run', 'gateway.sock')) : undefined;
    const owner = new HarnessUser(url);
    const signup = await owner.call('POST', '/api/v1/auth/signup', { name: 'Gateway Tester', email: `gw-${randomBytes(4).toString('hex')}@example.test`, password: 'correct horse battery staple' });
    if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${JSON.stringify(signup.body)}`);
    const org: string = signup.body.organizations[0].slug;
    const created = await owner.call('POST', `/api/v1/orgs/${org}/projects`, { name: 'Chatbot' });
    if (created.status !== 201) throw new Error(`project failed: ${created.status} ${JSON.stringify(created.body)}`);
    const project: string = created.body.slug;
    const createKey = async (input: Record<string, unknown> = {}) => {
      const res = await owner.call('POST', `/api/v1/orgs/${org}/projects/${project}/gateway/keys`, { name: 'sdk', ...input });
      if (res.status !== 201) throw new Error(`key failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { id: res.body.id as string, token: res.body.token as string };
    };
    const { token } = await createKey();
    const running = app;
    return {
      app: running,
      url,
      socketPath,
      mock,
      owner,
      org,
      project,
      environment: created.body.environments[0].name as string,
      key: token,
      createKey,
      async setRouting(config) {
        const res = await owner.call('PUT', `/api/v1/orgs/${org}/gateway/routing`, { config });
        if (res.status !== 200) throw new Error(`routing failed: ${res.status} ${JSON.stringify(res.body)}`);
      },
      async close() {
        await running.close();
        await mock.close();
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await app?.close();
    await mock.close();
    await db.drop();
    throw err;
  }
}

/** A loopback port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Reads an OpenAI SDK chat stream through: its text, and the usage its last chunk carries. */
export async function readChatStream(stream: AsyncIterable<OpenAI.ChatCompletionChunk>): Promise<{ text: string; usage: OpenAI.CompletionUsage | undefined }> {
  let text = '';
  let usage: OpenAI.CompletionUsage | undefined;
  for await (const chunk of stream) {
    text += chunk.choices[0]?.delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, usage };
}
