import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';
import { startTestDns, publishChallenge } from '../support/dns';
import { getViaEdge, steadyLoad } from '../support/edge';
import { commitAll, git, remoteUrl, workingCopy } from '../support/git';

/** Push to deploy, end to end: the real git client, the api, the worker, dockerd and the edge. */
describe('git push deploys with zero downtime, and a release rolls back', () => {
  let owner: ApiClient;
  let org: string;
  let token: string;
  let app: string;
  /** The app's host: shop.localhost, or shop-<org>.localhost if another organization has a "shop" (or a host "shop"). */
  let host: string;

  beforeAll(async () => {
    const u = await signUp('Deployer');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    const project = await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'shop' });
    expect(project.status).toBe(201);
    host = new URL(project.body.environments[0].url).hostname;
    token = (await owner.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
    app = await workingCopy({ VERSION: 'v1\n' }, 'node-http', 'v1');
    await git(['remote', 'add', 'slipway', remoteUrl(token, org, 'shop')], app);
  });

  it('streams the build and deploy into the push output and ends with the live URL', async () => {
    const push = await git(['push', 'slipway', 'main'], app);
    expect(push.out, push.out).toContain('remote: -----> Build plan');
    expect(push.out).toContain('remote:        builder  Node.js');
    expect(push.out).toContain(`remote: -----> production is live at http://${host}:`);
    expect(push.code).toBe(0);
    expect(await getViaEdge(host)).toEqual({ status: 200, body: 'node-http v1\n' });
  });

  it('deploys the next version with no failed request under a steady load', async () => {
    writeFileSync(join(app, 'VERSION'), 'v2\n');
    await commitAll(app, 'v2');
    const load = steadyLoad(host, 50, 90_000);
    const push = await git(['push', 'slipway', 'main'], app);
    const results = await load.stop();
    expect(push.code, push.out).toBe(0);
    expect(await getViaEdge(host)).toEqual({ status: 200, body: 'node-http v2\n' });
    expect(results.failures).toEqual([]);
    expect(results.ok).toBeGreaterThan(20);
    expect([...results.bodies].sort()).toEqual(['node-http v1', 'node-http v2']);
  });

  it('rejects a push whose app fails its health check, keeps the old version live and says why', async () => {
    // slipway.yaml shortens the health window so the test does not wait the default minute.
    const broken = await workingCopy({ 'slipway.yaml': 'healthCheck:\n  timeoutSeconds: 6\n' }, 'unhealthy', 'broken');
    const push = await git(['push', '--force', remoteUrl(token, org, 'shop'), 'main'], broken);
    expect(push.code).not.toBe(0);
    expect(push.out).toContain('Deployment failed');
    expect(push.out).toContain('The previous release keeps serving');
    expect(push.out).toMatch(/remote: +\| /); // the failing container's own log lines
    expect(await getViaEdge(host)).toEqual({ status: 200, body: 'node-http v2\n' });
  });

  it('routes a custom domain once its DNS TXT record is verified, and refuses one another tenant already uses', async () => {
    const dns = await startTestDns();
    try {
      const domains = `/api/v1/orgs/${org}/projects/shop/environments/production/domains`;
      const domain = `shop-${Date.now().toString(36)}.example.test`;
      const added = await owner.post(domains, { hostname: domain.toUpperCase() });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      expect(added.body).toMatchObject({ hostname: domain, status: 'pending', verification: { type: 'TXT', name: `_slipway-challenge.${domain}` } });
      expect((await getViaEdge(domain)).status).toBe(503); // not routed before it is verified
      publishChallenge(dns, added.body);
      const verified = await owner.post(`${domains}/${added.body.id}/verify`);
      expect(verified.status, JSON.stringify(verified.body)).toBe(200);
      expect(verified.body.status).toBe('verified');
      // The edge learns of the new host through Redis pub/sub: moments, not at once.
      for (let i = 0; i < 40 && (await getViaEdge(domain)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await getViaEdge(domain)).toEqual({ status: 200, body: 'node-http v2\n' });
      const other = await signUp('DomainThief');
      const theirOrg = other.session.organizations[0]!.slug;
      await other.client.post(`/api/v1/orgs/${theirOrg}/projects`, { name: 'thief' });
      const stolen = await other.client.post(`/api/v1/orgs/${theirOrg}/projects/thief/environments/production/domains`, { hostname: domain });
      expect(stolen.body.code).toBe('DOMAIN_TAKEN');
      const reserved = await owner.post(domains, { hostname: 'other.localhost' });
      expect(reserved.body.code).toBe('DOMAIN_RESERVED');
    } finally {
      await dns.close();
    }
  });

  it('rolls back to the first release in seconds, without a rebuild', async () => {
    const releases = await owner.get(`/api/v1/orgs/${org}/projects/shop/environments/production/releases`);
    const v1 = releases.body.find((r: { number: number }) => r.number === 1);
    const started = Date.now();
    const rollback = await owner.post(`/api/v1/orgs/${org}/projects/shop/environments/production/rollback`, { releaseId: v1.id });
    expect(rollback.status, JSON.stringify(rollback.body)).toBe(202);
    for (let i = 0; i < 60 && (await getViaEdge(host)).body !== 'node-http v1\n'; i++) await new Promise((r) => setTimeout(r, 250));
    expect(await getViaEdge(host)).toEqual({ status: 200, body: 'node-http v1\n' });
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
