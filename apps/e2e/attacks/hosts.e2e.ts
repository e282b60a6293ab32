import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsStub } from '@slipway/testing';
import { attacker } from '../support/attacker';
import { publishChallenge, startTestDns } from '../support/dns';
import { getViaEdge } from '../support/edge';
import { E2E } from '../support/env';
import { git, remoteUrl, workingCopy } from '../support/git';

type Tenant = Awaited<ReturnType<typeof attacker>>;

const run = randomBytes(3).toString('hex');
const DEPLOY_MS = 240_000;

/** Pushes the dependency-free node-http sample, answering `node-http <version>`, to `branch` with the real git client. */
async function deploy(tenant: Tenant, project: string, branch: string, version: string): Promise<void> {
  const dir = await workingCopy({ VERSION: `${version}\n` }, 'node-http', version);
  const push = await git(['push', remoteUrl(tenant.token, tenant.org, project), `main:${branch}`], dir);
  expect(push.code, push.out).toBe(0);
  expect(push.out).toContain('is live at');
}

/** The edge picks up a new route table through Redis pub/sub: moments, not at once. */
async function eventually(host: string, body: string, ms = 10_000): Promise<{ status: number; body: string }> {
  const end = Date.now() + ms;
  let page = await getViaEdge(host);
  while (page.body !== body && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 200));
    page = await getViaEdge(host);
  }
  return page;
}

const hostOf = (url: string) => new URL(url).hostname;

async function createEnvironment(tenant: Tenant, project: string, name: string): Promise<string> {
  const env = await tenant.client.post(`/api/v1/orgs/${tenant.org}/projects/${project}/environments`, { name, branch: name });
  expect(env.status, JSON.stringify(env.body)).toBe(201);
  return hostOf(env.body.url);
}

/** GET on any listener with any Host header, bounded. */
function getRaw(base: string, path: string, host: string): Promise<{ status: number; body: string; error?: string }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = request({ host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path, headers: { host }, timeout: 5_000, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: err.code ?? err.message }));
    req.end();
  });
}

/**
 * App hosts and custom domains cannot be taken over by another tenant, and the edge tells no
 * tenant about another. Every attack is made from outside: HTTP against the api and the edge,
 * the real git client, and a DNS server the test controls (the platform verifies custom domains
 * against it).
 */
describe('attack: taking over another tenant\u2019s host', () => {
  let a: Tenant;
  let b: Tenant;
  let dns: DnsStub;
  /** Tenant A's project and its staging host, tenant B's project named `<A's project>-staging` and its host. */
  const shop = `shop${run}`;
  let aStaging: string;
  let bProduction: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([attacker('HostOwnerA'), attacker('HostAttackerB')]);
    dns = await startTestDns();
  });
  afterAll(() => dns?.close());

  it('B names a project after A\u2019s staging host (A first): both get distinct hosts and each serves its own app', async () => {
    await a.project(shop);
    aStaging = await createEnvironment(a, shop, 'staging');
    const bProject = await b.project(`${shop}-staging`);
    bProduction = bProject.host;
    expect(bProduction).not.toBe(aStaging);
    await Promise.all([deploy(a, shop, 'staging', 'A-staging'), deploy(b, `${shop}-staging`, 'main', 'B-production')]);
    expect(await eventually(aStaging, 'node-http A-staging\n')).toEqual({ status: 200, body: 'node-http A-staging\n' });
    expect(await eventually(bProduction, 'node-http B-production\n')).toEqual({ status: 200, body: 'node-http B-production\n' });
  }, DEPLOY_MS);

  it('A adds the staging environment after B\u2019s project exists (the reverse order): distinct hosts, nothing of B on A\u2019s', async () => {
    const web = `web${run}`;
    const bProject = await b.project(`${web}-preview`);
    await deploy(b, `${web}-preview`, 'main', 'B-preview-owner');
    await a.project(web);
    const aPreview = await createEnvironment(a, web, 'preview');
    expect(aPreview).not.toBe(bProject.host);
    expect((await getViaEdge(aPreview)).body).not.toContain('B-preview-owner'); // A's new host serves nothing of B
    await deploy(a, web, 'preview', 'A-preview');
    expect(await eventually(aPreview, 'node-http A-preview\n')).toEqual({ status: 200, body: 'node-http A-preview\n' });
    expect(await getViaEdge(bProject.host)).toEqual({ status: 200, body: 'node-http B-preview-owner\n' });
  }, 2 * DEPLOY_MS);

  it("a project named after one of the platform's hosts (api, www, console, localhost, slipway-gateway) gets another label", async () => {
    for (const name of ['api', 'www', 'console', 'localhost', 'slipway-gateway']) {
      const project = await b.project(name); // the slug is the name
      const label = project.host.split('.')[0];
      expect(label, name).not.toBe(name);
      expect(label!.startsWith(`${name}-`), project.host).toBe(true);
    }
  });

  it("B cannot add A's verified custom domain: 409 DOMAIN_TAKEN, nothing written, A's app still served there", async () => {
    const domain = `a-${run}.example.test`;
    const aDomains = `/api/v1/orgs/${a.org}/projects/${shop}/environments/staging/domains`;
    const added = await a.client.post(aDomains, { hostname: domain });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    publishChallenge(dns, added.body);
    const verified = await a.client.post(`${aDomains}/${added.body.id}/verify`);
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    expect(await eventually(domain, 'node-http A-staging\n')).toEqual({ status: 200, body: 'node-http A-staging\n' });

    const bDomains = `/api/v1/orgs/${b.org}/projects/${shop}-staging/environments/production/domains`;
    const stolen = await b.client.post(bDomains, { hostname: domain.toUpperCase() });
    expect(stolen.status).toBe(409);
    expect(stolen.body.code).toBe('DOMAIN_TAKEN');
    expect(stolen.body.detail).not.toContain(a.org); // says it is taken, not by whom
    expect((await b.client.get(bDomains)).body).toEqual([]);
    expect(await getViaEdge(domain)).toEqual({ status: 200, body: 'node-http A-staging\n' });
  });

  it('an unverified domain is not routed; a pending claim does not block others; the first to verify gets it, the other is told', async () => {
    const domain = `contested-${run}.example.test`;
    const bDomains = `/api/v1/orgs/${b.org}/projects/${shop}-staging/environments/production/domains`;
    const aDomains = `/api/v1/orgs/${a.org}/projects/${shop}/environments/staging/domains`;
    const aPending = await a.client.post(aDomains, { hostname: domain });
    expect(aPending.status, JSON.stringify(aPending.body)).toBe(201);
    expect(aPending.body).toMatchObject({ status: 'pending', verification: { type: 'TXT', name: `_slipway-challenge.${domain}` } });
    const bPending = await b.client.post(bDomains, { hostname: domain });
    expect(bPending.status, JSON.stringify(bPending.body)).toBe(201);
    expect(bPending.body.verification.value).not.toBe(aPending.body.verification.value);
    // Neither is routed while unverified: the edge does not know the name.
    const before = await getViaEdge(domain);
    expect(before.status).toBe(503);
    expect(before.body).not.toMatch(/node-http/);
    // A verifying without the record: refused with the reason.
    const early = await a.client.post(`${aDomains}/${aPending.body.id}/verify`);
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('DOMAIN_NOT_VERIFIED');
    expect(early.body.detail).toContain(`_slipway-challenge.${domain}`);

    // B controls the name's DNS: its token is published, B verifies first and gets the route.
    publishChallenge(dns, bPending.body);
    const bVerified = await b.client.post(`${bDomains}/${bPending.body.id}/verify`);
    expect(bVerified.status, JSON.stringify(bVerified.body)).toBe(200);
    expect(bVerified.body.status).toBe('verified');
    expect(await eventually(domain, 'node-http B-production\n')).toEqual({ status: 200, body: 'node-http B-production\n' });
    const aLate = await a.client.post(`${aDomains}/${aPending.body.id}/verify`);
    expect(aLate.status).toBe(409);
    expect(aLate.body.code).toBe('DOMAIN_TAKEN');
    const aList = (await a.client.get(aDomains)).body as { hostname: string; status: string; problem: string | null }[];
    expect(aList.find((d) => d.hostname === domain)).toMatchObject({ status: 'pending', problem: expect.stringContaining('verified first by another organization') });
    expect(await getViaEdge(domain)).toEqual({ status: 200, body: 'node-http B-production\n' });
  });

  it('the worker verifies a pending domain by itself once its TXT record appears', async () => {
    const domain = `later-${run}.example.test`;
    const bDomains = `/api/v1/orgs/${b.org}/projects/${shop}-staging/environments/production/domains`;
    const pending = await b.client.post(bDomains, { hostname: domain });
    expect(pending.status).toBe(201);
    publishChallenge(dns, pending.body);
    expect(await eventually(domain, 'node-http B-production\n', 30_000)).toEqual({ status: 200, body: 'node-http B-production\n' });
    expect((await b.client.get(bDomains)).body.find((d: { hostname: string }) => d.hostname === domain).status).toBe('verified');
  }, 60_000);

  it("custom domains under the apps domain or the platform's own names are refused with a code; nothing is written", async () => {
    const bDomains = `/api/v1/orgs/${b.org}/projects/${shop}-staging/environments/production/domains`;
    const before = (await b.client.get(bDomains)).body.length;
    for (const hostname of [aStaging, `x.${aStaging}`, 'localhost.localdomain.localhost']) {
      const res = await b.client.post(bDomains, { hostname });
      expect(res.status, hostname).toBe(409);
      expect(res.body.code, hostname).toBe('DOMAIN_RESERVED');
    }
    const ip = await b.client.post(bDomains, { hostname: '127.0.0.1' });
    expect(ip.body.code).toBe('VALIDATION_FAILED');
    expect((await b.client.get(bDomains)).body.length).toBe(before);
  });
});

describe("attack: reading other tenants' traffic from the edge", () => {
  it('/__edge/status and /__edge/metrics on the public port answer like any unknown path, with nothing of any tenant', async () => {
    const victim = await attacker('EdgeVictim');
    const project = await victim.project(`metrics${run}`);
    await deploy(victim, `metrics${run}`, 'main', 'victim');
    expect(await eventually(project.host, 'node-http victim\n')).toEqual({ status: 200, body: 'node-http victim\n' });
    const detail = (await victim.client.get(`/api/v1/orgs/${victim.org}/projects/metrics${run}`)).body;
    const environmentId: string = detail.environments[0].id;
    const releaseId: string = ((await project.releases()) as { id: string }[])[0]!.id;

    // The admin listener (loopback only) does see the victim: that is where the data went.
    const metrics = await getRaw(E2E.edgeAdminUrl, '/__edge/metrics', '127.0.0.1');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain(releaseId);

    for (const path of ['/__edge/status', '/__edge/metrics', '/__edge/metrics?format=json']) {
      for (const host of ['127.0.0.1', 'localhost', `nothing-${run}.localhost`, 'attacker.example']) {
        const res = await getRaw(E2E.edgeUrl, path, host);
        expect(res.status, `${host}${path}`).toBe(503);
        for (const secret of [environmentId, releaseId, 'slipway_edge_requests_total', '"routes"', '"upstreams"']) expect(res.body, `${host}${path}`).not.toContain(secret);
      }
    }
  }, DEPLOY_MS);

  it('the admin port answers on 127.0.0.1 only, and only to loopback host names', async () => {
    const admin = new URL(E2E.edgeAdminUrl);
    expect((await getRaw(E2E.edgeAdminUrl, '/__edge/status', '127.0.0.1')).status).toBe(200);
    // Another loopback address, and IPv6 loopback: a listener on 0.0.0.0 or :: would answer these.
    for (const other of [`http://127.0.0.2:${admin.port}`, `http://[::1]:${admin.port}`]) {
      const res = await getRaw(other, '/__edge/status', '127.0.0.1');
      expect(res.status, other).toBe(0);
      expect(res.error, other).toMatch(/ECONNREFUSED|EADDRNOTAVAIL|ENETUNREACH|EAFNOSUPPORT/);
    }
    // A web page that rebinds its own name to 127.0.0.1 reaches the port with its own Host.
    const rebound = await getRaw(E2E.edgeAdminUrl, '/__edge/status', `rebind-${run}.attacker.example:${admin.port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).not.toContain('"routes"');
  });
});
