import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbModule, PrismaService } from '@slipway/db';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import type { ListingsService } from '../listings/listings.service';
import { SpecsRepository } from './specs.repository';
import { SpecsService } from './specs.service';

/** After a deploy, each listing of the environment fetches its OpenAPI document from a replica: bounded, and never failing the deploy. */
let ctx: DomainTestContext;
let prisma: PrismaService;
let specs: SpecsService;
let server: Server;
let port: number;
let organizationId: string;
/** What the fake app answers at /openapi.json. */
let answer: (res: import('node:http').ServerResponse) => void;

const doc = (version: string) => ({ openapi: '3.0.3', info: { title: 'Weather', version }, paths: { '/forecast': { get: {} } } });
const live = (releaseId: string) => specs.releaseLive({ organizationId }, { environmentId: 'env-1', releaseId, upstreams: [{ host: '127.0.0.1', port }] });
const stored = () => prisma.apiSpecVersion.findMany({ orderBy: { createdAt: 'asc' }, select: { releaseId: true, source: true, document: true } });

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule]);
  prisma = ctx.app.get(PrismaService);
  specs = new SpecsService(new SpecsRepository(prisma), {} as ListingsService);
  specs.fetchLimits = { timeoutMs: 500, maxBytes: 10_000 };
  server = createServer((req, res) => (req.url === '/openapi.json' ? answer(res) : res.writeHead(404).end()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const org = await prisma.organization.create({ data: { slug: 'pub', name: 'Pub' } });
  organizationId = org.id;
  const listing = { organizationId, projectId: 'p', summary: 's', category: 'weather', visibility: 'PUBLIC' as const, operations: [], sealedEdgeSecret: 'x' };
  await prisma.apiListing.create({ data: { ...listing, environmentId: 'env-1', slug: 'weather', name: 'Weather', openApiPath: '/openapi.json' } });
  // Same environment, uploaded documents only: never fetched.
  await prisma.apiListing.create({ data: { ...listing, environmentId: 'env-1', slug: 'manual', name: 'Manual', openApiPath: null } });
});

afterAll(async () => {
  server?.close();
  await ctx?.close();
});

describe('OpenAPI documents fetched after a deploy', () => {
  it('stores the document a new release serves, linked to the release, once per distinct document', async () => {
    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc('1')));
    await live('r1');
    await live('r2');
    answer = (res) => res.writeHead(200, { 'content-type': 'application/yaml' }).end('openapi: 3.0.3\ninfo: {title: Weather, version: "2"}\npaths: {/forecast: {get: {}}}\n');
    await live('r3');
    expect(await stored()).toEqual([
      { releaseId: 'r2', source: 'APP', document: doc('1') },
      { releaseId: 'r3', source: 'APP', document: doc('2') },
    ]);
  });

  it('keeps the previous document, without throwing, when the app answers an error, too much, too late or not an OpenAPI document', async () => {
    const before = await stored();
    for (const bad of [
      (res: import('node:http').ServerResponse) => res.writeHead(500).end('boom'),
      (res: import('node:http').ServerResponse) => res.writeHead(200).end(JSON.stringify({ ...doc('3'), 'x-pad': 'x'.repeat(20_000) })),
      (res: import('node:http').ServerResponse) => void setTimeout(() => res.writeHead(200).end(JSON.stringify(doc('4'))), 2_000).unref(),
      (res: import('node:http').ServerResponse) => res.writeHead(200).end('<html>not a document</html>'),
      (res: import('node:http').ServerResponse) => res.writeHead(302, { location: 'http://169.254.169.254/' }).end(),
    ]) {
      answer = bad;
      const started = Date.now();
      await expect(live('r9')).resolves.toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1_500);
    }
    expect(await stored()).toEqual(before);
  });
});
