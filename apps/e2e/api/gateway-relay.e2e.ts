import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';
import { getViaEdge } from '../support/edge';
import { git, remoteUrl, workingCopy } from '../support/git';

/**
 * An app that asks a model, as real apps do: its server calls $ANTHROPIC_BASE_URL/v1/messages
 * with $ANTHROPIC_API_KEY (Node's built-in fetch, no SDK) and answers with the model's words and
 * the gateway's request id. Slipway gives it those variables; the call goes through the relay
 * on the project network to the api's gateway socket.
 */
const SERVER = `
const http = require('node:http');
http.createServer(async (req, res) => {
  if (req.url !== '/ask') return res.end(req.url === '/healthz' ? 'ok' : 'ask me at /ask');
  try {
    const answer = await fetch(process.env.ANTHROPIC_BASE_URL + '/v1/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': process.env.ANTHROPIC_API_KEY, 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'default', max_tokens: 64, messages: [{ role: 'user', content: 'Greet the e2e test.' }] }),
    });
    const body = await answer.json();
    res.writeHead(answer.status, { 'content-type': 'text/plain' });
    res.end(answer.ok ? 'model says: ' + body.content.map((c) => c.text).join('') + '\\nrequest ' + answer.headers.get('x-slipway-request-id') : 'gateway said ' + answer.status + ': ' + JSON.stringify(body));
  } catch (err) {
    res.writeHead(502);
    res.end('cannot reach the gateway: ' + (err.cause?.code ?? err.message));
  }
}).listen(Number(process.env.PORT));
`;

const DOCKERFILE = ['ARG BASE_IMAGE=slipway/node:24', 'FROM ${BASE_IMAGE}', 'WORKDIR /app', 'COPY server.js ./', 'CMD ["node", "server.js"]', ''].join('\n');

describe('a deployed app calls its own model gateway', () => {
  let owner: ApiClient;
  let org: string;
  let host: string;
  let app: string;
  let token: string;

  beforeAll(async () => {
    const u = await signUp('Asker');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    const project = await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'asker' });
    expect(project.status).toBe(201);
    host = new URL(project.body.environments[0].url).hostname;
    token = (await owner.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
    app = await workingCopy({ Dockerfile: DOCKERFILE, 'server.js': SERVER });
  });

  it("answers through the edge with the model's answer, and the call shows, costed, in the project's gateway requests", async () => {
    const push = await git(['push', remoteUrl(token, org, 'asker'), 'main'], app);
    expect(push.code, push.out).toBe(0);
    expect(push.out).toContain('started the model gateway relay (http://slipway-gateway:4000) on the project network');

    const asked = await getViaEdge(host, '/ask', 15_000);
    expect(asked.status, asked.body).toBe(200);
    expect(asked.body).toMatch(/^model says: \S.*\nrequest [\w-]+$/s);
    const requestId = asked.body.split('\nrequest ')[1]!;

    // The worker writes usage from the gateway's stream within moments.
    let row: { id: string; environment: string | null; status: number; provider: string; api: string; costUsd: number } | undefined;
    for (let i = 0; i < 50 && !row; i++) {
      const list = await owner.get(`/api/v1/orgs/${org}/projects/asker/gateway/requests`);
      row = (list.body as (typeof row)[]).find((r) => r?.id === requestId);
      if (!row) await new Promise((r) => setTimeout(r, 200));
    }
    expect(row).toMatchObject({ id: requestId, environment: 'production', status: 200, provider: 'mock', api: 'anthropic' });
    expect(row!.costUsd).toBeGreaterThan(0);
  });

  it('takes a deleted project off the edge (its containers, relay and network go)', async () => {
    expect((await owner.del(`/api/v1/orgs/${org}/projects/asker`)).status).toBe(204);
    for (let i = 0; i < 50 && (await getViaEdge(host, '/ask')).status !== 503; i++) await new Promise((r) => setTimeout(r, 200));
    expect((await getViaEdge(host, '/ask')).status).toBe(503);
  });
});
