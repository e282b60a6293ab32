import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';

/** A recorded Stripe exchange: the request we expect (form fields, idempotency key) and Stripe's answer. */
export interface StripeFixture {
  request: { method: string; path: string; idempotencyKey: string; form: Record<string, string> };
  response: { status: number; body: unknown };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  form: Record<string, string>;
}

export function loadFixture(name: string): StripeFixture {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as StripeFixture;
}

export function fixtureNames(): string[] {
  return readdirSync(join(__dirname, 'fixtures')).filter((f) => f.endsWith('.json') && !f.startsWith('event-')).map((f) => f.slice(0, -5));
}

/**
 * A loopback stand-in for api.stripe.com that replays recorded fixtures: a request is answered
 * with the fixture of its method, path and idempotency key, and recorded so a test can assert
 * what the SDK sent. Anything else gets Stripe's own error shape (404 invalid_request_error).
 */
export async function startStripeFixtureServer(fixtures: StripeFixture[]): Promise<{ port: number; requests: RecordedRequest[]; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const form = Object.fromEntries(new URLSearchParams(body));
      requests.push({ method: req.method ?? '', path, headers: req.headers, form });
      const match = fixtures.find((f) => f.request.method === req.method && f.request.path === path && f.request.idempotencyKey === req.headers['idempotency-key']);
      const [status, answer] = match
        ? [match.response.status, match.response.body]
        : [404, { error: { type: 'invalid_request_error', message: `No fixture for ${req.method} ${path}` } }];
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_fixture${requests.length}` }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fixture server has no port');
  return { port: address.port, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
