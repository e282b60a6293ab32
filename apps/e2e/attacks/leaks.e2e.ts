import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { joinAs, signUp, type ApiClient } from '../support/api-client';
import { commitAll, git, remoteUrl, workingCopy } from '../support/git';

/**
 * Attacks on what a deployment stores for everyone in the organization to read: an app that
 * prints its environment (the gateway key the platform injects among it) and its secrets in the
 * encodings apps use — base64, base64url, percent-encoding, JSON, hex, a Basic header — then
 * fails its health check. A VIEWER reads the deployment's log, failure and timeline and finds
 * none of it; a secret rotated after the release is still hidden in the values the release ran with.
 */

type Person = Awaited<ReturnType<typeof signUp>>;

/** When CRASH=1 the app prints everything it was given and exits before listening (a failed health check). */
const LEAKY_SERVER = `
const http = require('node:http');
const util = require('node:util');
const env = process.env;
if (env.CRASH === '1') {
  console.log(util.inspect(env, { breakLength: Infinity }));
  console.log('JSON ' + JSON.stringify(env));
  for (const [name, v] of [['secret', env.DB_PASSWORD], ['key', env.ANTHROPIC_API_KEY]]) {
    const b = Buffer.from(v);
    console.log(name + ' b64=' + b.toString('base64') + ' b64url=' + b.toString('base64url') + ' url=' + encodeURIComponent(v) + ' hex=' + b.toString('hex') + ' basic=' + Buffer.from('user:' + v).toString('base64'));
  }
  process.exit(1);
}
http.createServer((req, res) => res.end('ok\\n')).listen(Number(env.PORT || 3000));
`;

/** Every form of `value` the app prints, none of which may be readable. */
function formsOf(value: string): string[] {
  const b = Buffer.from(value);
  return [
    value,
    b.toString('base64'),
    b.toString('base64url'),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    b.toString('hex'),
  ];
}

/** Everything a VIEWER can read of an environment's deployments: the list, and each one's detail (timeline, failure, container log). */
async function readableDeployments(viewer: ApiClient, env: string): Promise<{ text: string; logs: string[] }> {
  const list = await viewer.get(`${env}/deployments`);
  expect(list.status).toBe(200);
  const details = await Promise.all(
    (list.body as { id: string }[]).map(
      async (d) => (await viewer.get(`${env}/deployments/${d.id}`)).body as { failedReplicaLogs: string | null },
    ),
  );
  return { text: JSON.stringify(list.body) + JSON.stringify(details), logs: details.map((d) => d.failedReplicaLogs ?? '') };
}

async function waitFinal(client: ApiClient, env: string, id: string): Promise<string> {
  for (let i = 0; i < 180; i++) {
    const d = await client.get(`${env}/deployments/${id}`);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(d.body.status)) return d.body.status as string;
    await sleep(500);
  }
  throw new Error(`deployment ${id} did not finish`);
}

describe('attack: secrets and the gateway key in a failed deployment', () => {
  let owner: Person;
  let viewer: Person;
  let org: string;
  let env: string;
  let vars: string;
  let app: string;
  let remote: string;
  const firstSecret = `db-${randomBytes(6).toString('hex')}/p@ss"w0rd?&=`;
  const rotatedSecret = `db-${randomBytes(6).toString('hex')}-rotated`;

  beforeAll(async () => {
    owner = await signUp('LeakOwner');
    org = owner.session.organizations[0]!.slug;
    viewer = await joinAs(owner, org, 'LeakViewer', 'VIEWER');
    expect((await owner.client.post(`/api/v1/orgs/${org}/projects`, { name: 'leaky' })).status).toBe(201);
    env = `/api/v1/orgs/${org}/projects/leaky/environments/production`;
    vars = `${env}/variables`;
    const token = (await owner.client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token as string;
    remote = remoteUrl(token, org, 'leaky');
    expect((await owner.client.put(`${vars}/DB_PASSWORD`, { value: firstSecret, secret: true })).status).toBe(200);
    expect((await owner.client.put(`${vars}/CRASH`, { value: '1' })).status).toBe(200);
    app = await workingCopy({ 'server.js': LEAKY_SERVER }, 'crash-on-start', 'leaky v1');
  });

  it('an app printing its env and its secrets encoded, then failing: a VIEWER finds none of them (nor the gateway key) in the log, the failure or the timeline', async () => {
    const push = await git(['push', remote, 'main'], app);
    expect(push.code, push.out).not.toBe(0);
    expect(push.out).toContain('Deployment failed');
    // The push output is the owner's, but it must not carry the values either.
    for (const form of formsOf(firstSecret)) expect(push.out).not.toContain(form);
    expect(push.out).not.toMatch(/sk-slw-/);

    const { text, logs } = await readableDeployments(viewer.client, env);
    const log = logs.find((l) => l.includes('JSON '));
    expect(log, text).toBeDefined();
    // The app did print them: the lines are there, the values are not.
    expect(log).toContain("DB_PASSWORD: '[redacted]'");
    expect(log).toContain('ANTHROPIC_API_KEY');
    expect(log).toContain('secret b64=[redacted] b64url=[redacted] url=[redacted] hex=[redacted]');
    expect(log).toContain('key b64=[redacted] b64url=[redacted] url=[redacted] hex=[redacted]');
    for (const form of formsOf(firstSecret)) expect(text).not.toContain(form);
    // The gateway key (sk-slw-…): as written, base64 (c2stc2x3 = "sk-slw"), hex, inside a Basic header of user:<key>.
    expect(text).not.toMatch(/sk-slw-/);
    expect(text).not.toContain('c2stc2x3');
    expect(text).not.toContain(Buffer.from('sk-slw-').toString('hex'));
    expect(text).not.toContain(Buffer.from('user:sk-slw').toString('base64').slice(0, 12));
    expect(text).not.toContain(
      Buffer.from('user:' + firstSecret)
        .toString('base64')
        .slice(0, 12),
    );
  });

  it('a secret rotated after the release: the value the release was pinned to stays hidden when it runs again', async () => {
    // A healthy release goes live (CRASH=0), then the secret is rotated, then the crashing
    // release v1 (pinned to the first value) is rolled back to: it prints the old value.
    expect((await owner.client.put(`${vars}/CRASH`, { value: '0' })).status).toBe(200);
    writeFileSync(join(app, 'VERSION'), 'v2\n');
    await commitAll(app, 'leaky v2');
    const push = await git(['push', remote, 'main'], app);
    expect(push.code, push.out).toBe(0);
    expect((await owner.client.put(`${vars}/DB_PASSWORD`, { value: rotatedSecret, secret: true })).body.version).toBe(2);

    const releases = (await owner.client.get(`${env}/releases`)).body as { id: string; number: number }[];
    const v1 = releases.find((r) => r.number === 1)!;
    const rollback = await owner.client.post(`${env}/rollback`, { releaseId: v1.id });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(202);
    expect(await waitFinal(owner.client, env, rollback.body.id)).toBe('FAILED');

    const detail = (await viewer.client.get(`${env}/deployments/${rollback.body.id}`)).body as { failedReplicaLogs: string | null };
    expect(detail.failedReplicaLogs).toContain("DB_PASSWORD: '[redacted]'");
    const { text } = await readableDeployments(viewer.client, env);
    for (const form of formsOf(firstSecret)) expect(text).not.toContain(form);
    expect(text).not.toMatch(/sk-slw-/);
  });
});
