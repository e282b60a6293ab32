import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client';
import { attacker as tenant } from '../support/attacker';
import { getViaEdge } from '../support/edge';
import { commitAll, git, remoteUrl, workingCopy } from '../support/git';

/**
 * Apps shaped like the ones people push (real frameworks, real lockfiles, no Dockerfile, no
 * slipway.yaml), pushed with the real git client: each must go live and answer, with the build
 * plan in the push output. Their dependencies come from the npm registry, so these builds are
 * the slow part of the suite: one project per app, each test with room for a cold install.
 */
const BUILD_TIMEOUT = 300_000;

describe('real apps deploy as they are', () => {
  let owner: ApiClient;
  let org: string;
  let token: string;

  beforeAll(async () => {
    ({ client: owner, org, token } = await tenant('RealApps'));
  });

  /** A project, a working copy of the sample app, and the push: the push output and the app's host. */
  async function push(project: string, sample: string, files: Record<string, string> = {}) {
    const created = await owner.post(`/api/v1/orgs/${org}/projects`, { name: project });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const host = new URL(created.body.environments[0].url).hostname;
    const dir = await workingCopy(files, sample);
    const result = await git(['push', remoteUrl(token, org, project), 'main'], dir);
    return { ...result, host, dir };
  }

  it('Express with yarn.lock, on the Node major engines.node asks for', async () => {
    const { code, out, host, dir } = await push('express-yarn', 'express-yarn');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        builder  Node.js: Express');
    expect(out).toContain('remote:        node     20 (engines.node "20.x")');
    expect(out).toContain('remote:        install  yarn install --frozen-lockfile  (yarn.lock)');
    const answer = await getViaEdge(host);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatch(/^express-yarn on node 20\.\d+\.\d+\n$/);

    // A one-line change: the installed dependencies come from the cache, and the new code answers.
    writeFileSync(join(dir, 'server.js'), readFileSync(join(dir, 'server.js'), 'utf8').replace('express-yarn on node', 'express-yarn v2 on node'));
    await commitAll(dir, 'v2');
    const again = await git(['push', remoteUrl(token, org, 'express-yarn'), 'main'], dir);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/RUN yarn install --frozen-lockfile[^\n]*\nremote: {2}---> Using cache/);
    expect((await getViaEdge(host)).body).toMatch(/^express-yarn v2 on node 20\./);

    const releases = await owner.get(`/api/v1/orgs/${org}/projects/express-yarn/environments/production/releases`);
    expect(releases.body[0].buildPlan).toEqual(
      expect.objectContaining({ rows: expect.arrayContaining([{ label: 'install', value: 'yarn install --frozen-lockfile  (yarn.lock)' }]) }),
    );
  }, BUILD_TIMEOUT);

  it('TypeScript Hono with pnpm: built by its build script, devDependencies pruned', async () => {
    const { code, out, host } = await push('hono-pnpm', 'hono-pnpm');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        install  pnpm install --frozen-lockfile  (pnpm-lock.yaml)');
    expect(out).toContain('remote:        prune    pnpm prune --prod');
    expect(await getViaEdge(host)).toEqual({ status: 200, body: expect.stringMatching(/^hono-pnpm on node 24\.[\d.]+; typescript installed: false\n$/) });
  }, BUILD_TIMEOUT);

  it('a Procfile app with no start script', async () => {
    const { code, out, host } = await push('procfile', 'procfile-app');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        start    node web/main.js  (Procfile web:)');
    expect(out).toContain('warning: Procfile: only "web" runs; "worker" is ignored.');
    expect(await getViaEdge(host)).toEqual({ status: 200, body: 'procfile-app web\n' });
  }, BUILD_TIMEOUT);

  it('a Vite single-page app: built, served by nginx, every route answers index.html', async () => {
    const { code, out, host } = await push('vite-spa', 'vite-spa');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        builder  static site built by Vite');
    for (const path of ['/', '/deep/client/route']) {
      const page = await getViaEdge(host, path);
      expect(page.status, path).toBe(200);
      expect(page.body).toContain('<title>vite-spa</title>');
    }
    const script = /src="(\/assets\/[^"]+\.js)"/.exec((await getViaEdge(host)).body)?.[1];
    expect(script).toBeDefined();
    expect((await getViaEdge(host, script)).status).toBe(200);
  }, BUILD_TIMEOUT);

  it('SvelteKit with adapter-node renders on the server', async () => {
    const { code, out, host } = await push('sveltekit', 'sveltekit-node');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        start    node build  (SvelteKit default)');
    const page = await getViaEdge(host);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<h1>sveltekit-node rendered on node 24\.[\d.]+<\/h1>/);
  }, BUILD_TIMEOUT);

  it('Next.js with standalone output', async () => {
    const { code, out, host } = await push('nextjs', 'nextjs-standalone');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        builder  Node.js: Next.js (standalone output)');
    expect(out).toContain('remote:        start    node server.js  (Next.js standalone output)');
    const page = await getViaEdge(host);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<h1>nextjs-standalone on node <!-- -->24\.[\d.]+<\/h1>/);
  }, BUILD_TIMEOUT);

  it('an app calls its gateway with the official Anthropic SDK through the injected variables, and the call is recorded', async () => {
    const { code, out, host } = await push('ai-app', 'anthropic-npm');
    expect(code, out).toBe(0);
    expect(out).toContain('remote:        node     22 (.nvmrc "22")');
    const answer = await getViaEdge(host, '/ask?q=hello', 30_000);
    expect(answer.status, answer.body).toBe(200);
    const body = JSON.parse(answer.body) as { text: string; usage: { input_tokens: number; output_tokens: number } };
    expect(body.text.length).toBeGreaterThan(0);
    expect(body.usage.output_tokens).toBeGreaterThan(0);
    // The gateway's usage pipeline records it within moments.
    let rows: { environment: string | null; costUsd: number; status: number }[] = [];
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      rows = (await owner.get(`/api/v1/orgs/${org}/projects/ai-app/gateway/requests`)).body;
      if (rows.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(rows[0]).toMatchObject({ environment: 'production', status: 200 });
    expect(rows[0]!.costUsd).toBeGreaterThan(0);
  }, BUILD_TIMEOUT);
});

describe('builds that cannot work say why, and nothing is deployed', () => {
  let owner: ApiClient;
  let org: string;
  let token: string;

  beforeAll(async () => {
    ({ client: owner, org, token } = await tenant('BadBuilds'));
  });

  async function rejected(project: string, files: Record<string, string>, sample?: string) {
    expect((await owner.post(`/api/v1/orgs/${org}/projects`, { name: project })).status).toBe(201);
    const push = await git(['push', remoteUrl(token, org, project), 'main'], await workingCopy(files, sample));
    expect(push.code, push.out).not.toBe(0);
    const releases = await owner.get(`/api/v1/orgs/${org}/projects/${project}/environments/production/releases`);
    expect(releases.body).toEqual([]);
    return push.out;
  }

  const manifest = (value: object) => JSON.stringify({ name: 'bad', version: '1.0.0', ...value });

  it('a lockfile out of sync with package.json: npm says so, and the fix is named', async () => {
    const lock = JSON.stringify({ name: 'bad', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'bad', version: '1.0.0' } } });
    const out = await rejected('out-of-sync', { 'package.json': manifest({ scripts: { start: 'node s.js' }, dependencies: { 'left-pad': '1.3.0' } }), 'package-lock.json': lock, 's.js': '' });
    expect(out).toContain('`npm ci` can only install packages when your package.json and package-lock.json');
    expect(out).toContain('Installing dependencies failed (npm ci, exit code 1). package-lock.json is out of sync with package.json');
  }, BUILD_TIMEOUT);

  it('no start command: says what to add', async () => {
    const out = await rejected('no-start', { 'package.json': manifest({ dependencies: {} }), 'lib.js': '' });
    expect(out).toContain('Slipway cannot tell how to start this app');
    expect(out).toContain('a Procfile with a "web:" line, or run.command in slipway.yaml');
  });

  it('a failing build script: its own output and the last lines', async () => {
    const out = await rejected('build-fails', { 'package.json': manifest({ scripts: { build: 'node build.js', start: 'node s.js' } }), 'build.js': "console.error('src/app.ts(3,1): error TS1005: expected ;'); process.exit(2);" });
    expect(out).toContain('The build failed (npm run build, exit code 2)');
    expect(out).toMatch(/Last lines:[\s\S]*error TS1005: expected ;/);
  });

  it('a native addon that needs a compiler', async () => {
    const out = await rejected('native', {}, 'native-addon');
    expect(out).toContain('gyp ERR!');
    expect(out).toContain('A dependency compiles a native addon (node-gyp), which needs python3, make and g++');
  }, BUILD_TIMEOUT);

  it('a build that floods its output: the push shows a bounded log that says what was dropped, and the build goes on', async () => {
    expect((await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'flood' })).status).toBe(201);
    const files = {
      'package.json': manifest({ scripts: { build: 'node flood.js', start: 'node s.js' } }),
      // About 6 MB of output, past the platform's BUILD_LOG_MAX_BYTES (1 MB under test).
      'flood.js': "for (let i = 0; i < 100000; i++) console.log(`flood line ${i} ${'x'.repeat(48)}`); console.log('flood done');",
      's.js': "require('http').createServer((q, s) => s.end('flooded ok')).listen(process.env.PORT)",
    };
    const push = await git(['push', remoteUrl(token, org, 'flood'), 'main'], await workingCopy(files));
    expect(push.code, push.out.slice(-2000)).toBe(0);
    expect(push.out.length).toBeLessThan(2 * 1024 * 1024);
    expect(push.out).toMatch(/lines \([\d.]+ [KM]iB\) of build output were dropped here: a build log keeps at most 1 MiB \(BUILD_LOG_MAX_BYTES=1048576\)\. The last lines follow\./);
    expect(push.out).toContain('remote: flood done');
  }, BUILD_TIMEOUT);

  it('an unknown package manager', async () => {
    const out = await rejected('unknown-pm', { 'package.json': manifest({ packageManager: 'cnpm@9.0.0', scripts: { start: 'node s.js' } }) });
    expect(out).toContain('package.json "packageManager" is "cnpm@9.0.0", which Slipway cannot use');
  });

  it('an unsupported Node major builds on the nearest one, with a warning', async () => {
    expect((await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'old-node' })).status).toBe(201);
    const files = { 'package.json': manifest({ engines: { node: '18.x' }, scripts: { start: 'node s.js' } }), 's.js': "require('http').createServer((q, s) => s.end(process.versions.node)).listen(process.env.PORT)" };
    const push = await git(['push', remoteUrl(token, org, 'old-node'), 'main'], await workingCopy(files));
    expect(push.code, push.out).toBe(0);
    expect(push.out).toContain('warning: engines.node asks for Node "18.x", which Slipway does not build (supported: 24, 22, 20); building on Node 20, the nearest.');
  }, BUILD_TIMEOUT);
});
