import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolveHost, ResolvedAddress } from './host-resolver';
import { UpstreamAddressPolicy } from './upstream-address-policy';
import { UpstreamClient } from './upstream-client';

/** A listener on loopback that counts the connections it gets: what an attacker would reach. */
let server: Server;
let port: number;
let connections = 0;

/** A resolver whose answers a test changes, as a DNS server under the attacker's control would. */
const answers = new Map<string, ResolvedAddress[]>();
let lookups = 0;
const resolve: ResolveHost = async (name) => {
  lookups++;
  const found = answers.get(name);
  if (!found) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found;
};
const v4 = (address: string): ResolvedAddress[] => [{ address, family: 4 }];

const clients: UpstreamClient[] = [];
function clientWith(allow: string[] = []): UpstreamClient {
  const client = new UpstreamClient({ policy: new UpstreamAddressPolicy({ allow, resolve }) });
  clients.push(client);
  return client;
}
const post = (client: UpstreamClient, origin: string, trusted?: boolean) =>
  client.request({ origin, path: '/v1/chat/completions', headers: {}, body: '{}', connectTimeoutMs: 1000, timeoutMs: 1000, trusted });
const drain = async (body: NodeJS.ReadableStream) => {
  for await (const _ of body);
};

beforeAll(async () => {
  server = createServer((_req, res) => res.end('{"secret":"internal"}'));
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  for (const client of clients) await client.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('UpstreamAddressPolicy.vet (save time)', () => {
  const policy = new UpstreamAddressPolicy({ resolve, allow: ['10.9.0.0/16', 'llm.lan:8000'] });

  it('refuses literal internal addresses, naming the class and the address', async () => {
    expect(await policy.vet('http://127.0.0.1:4000')).toEqual({ ok: false, addressClass: 'loopback', address: '127.0.0.1' });
    expect(await policy.vet('http://169.254.169.254/latest')).toEqual({
      ok: false,
      addressClass: 'link-local',
      address: '169.254.169.254',
    });
    expect(await policy.vet('http://[::1]:8080')).toEqual({ ok: false, addressClass: 'loopback', address: '::1' });
    expect(await policy.vet('http://[::ffff:10.0.0.1]')).toMatchObject({ ok: false, addressClass: 'private' });
    // WHATWG URLs normalise the other IPv4 spellings before anything sees them.
    expect(await policy.vet('http://2130706433:4000')).toMatchObject({ ok: false, addressClass: 'loopback' });
    expect(await policy.vet('http://0x7f.1:4000')).toMatchObject({ ok: false, addressClass: 'loopback' });
    expect(await policy.vet('http://0.0.0.0:4000')).toMatchObject({ ok: false, addressClass: 'unspecified' });
  });

  it('refuses a name resolving to an internal address without saying which address', async () => {
    answers.set('internal.example', v4('10.0.0.7'));
    answers.set('mixed.example', [...v4('93.184.215.14'), { address: 'fd00::1', family: 6 }]);
    expect(await policy.vet('https://internal.example/v1')).toEqual({ ok: false, addressClass: 'private' });
    expect(await policy.vet('https://mixed.example')).toEqual({ ok: false, addressClass: 'unique-local' });
    expect(await policy.vet('http://localhost:4000')).toEqual({ ok: false, addressClass: 'loopback' });
    expect(await policy.vet('http://api.localhost.:4000')).toEqual({ ok: false, addressClass: 'loopback' });
  });

  it('accepts public addresses, allowed ones, and names it cannot resolve now', async () => {
    answers.set('llm.example', v4('93.184.215.14'));
    expect(await policy.vet('https://llm.example')).toEqual({ ok: true });
    expect(await policy.vet('http://10.9.3.4:8000')).toEqual({ ok: true });
    expect(await policy.vet('http://llm.lan:8000')).toEqual({ ok: true });
    expect(await policy.vet('http://nowhere.example')).toEqual({ ok: true, unresolved: true });
    const slow = new UpstreamAddressPolicy({ resolve: () => new Promise(() => {}), vetTimeoutMs: 20 });
    expect(await slow.vet('https://slow.example')).toEqual({ ok: true, unresolved: true });
  });
});

describe('UpstreamClient under the policy (connect time)', () => {
  it('refuses loopback, metadata and mapped literals without connecting', async () => {
    const client = clientWith();
    const before = connections;
    for (const origin of [
      `http://127.0.0.1:${port}`,
      `http://[::ffff:127.0.0.1]:${port}`,
      'http://169.254.169.254',
      `http://0.0.0.0:${port}`,
    ]) {
      await expect(post(client, origin), origin).rejects.toMatchObject({
        failure: 'refused',
        message: expect.stringMatching(/^refused: \S/),
      });
    }
    expect(connections).toBe(before);
  });

  it('refuses a name that resolved public when saved and resolves to loopback when called (DNS rebinding)', async () => {
    const client = clientWith();
    answers.set('rebind.example', v4('93.184.215.14'));
    expect(await new UpstreamAddressPolicy({ resolve }).vet(`http://rebind.example:${port}`)).toEqual({ ok: true });
    answers.set('rebind.example', v4('127.0.0.1'));
    const before = connections;
    const err = await post(client, `http://rebind.example:${port}`).catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'refused', message: 'refused: loopback address' });
    expect(String((err as Error).message)).not.toContain('internal');
    expect(connections).toBe(before);
  });

  it('resolves and judges once per new connection, not per request', async () => {
    const client = clientWith([`rebind.example:${port}`]);
    answers.set('rebind.example', v4('127.0.0.1'));
    const before = lookups;
    for (let i = 0; i < 5; i++) await drain((await post(client, `http://rebind.example:${port}`)).body);
    expect(lookups - before).toBe(1);
  });

  it('lets the operator allow-list and trusted (operator-configured) targets through', async () => {
    const allowed = clientWith([`127.0.0.1:${port}`]);
    expect((await post(allowed, `http://127.0.0.1:${port}`)).status).toBe(200);
    const trusted = clientWith();
    expect((await post(trusted, `http://127.0.0.1:${port}`, true)).status).toBe(200);
    // The same origin asked for by a tenant's provider is still refused.
    await expect(post(trusted, `http://127.0.0.1:${port}`)).rejects.toMatchObject({ failure: 'refused' });
  });
});
