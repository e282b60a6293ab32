import { Resolver } from 'node:dns/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerQuery, startDnsStub, type DnsStub } from './dns-stub';

// Asked through node:dns, the same client the platform's verification uses.
let stub: DnsStub;
let resolver: Resolver;
beforeAll(async () => {
  stub = await startDnsStub({ txt: { '_slipway-challenge.www.example.test': ['slipway-abc'] } });
  resolver = new Resolver({ timeout: 2000, tries: 1 });
  resolver.setServers([stub.address]);
});
afterAll(() => stub.close());

describe('DNS stub', () => {
  it('answers TXT queries from its map, case-insensitively', async () => {
    expect(await resolver.resolveTxt('_slipway-challenge.WWW.example.test')).toEqual([['slipway-abc']]);
  });

  it('answers several values, and values longer than one 255-byte string', async () => {
    const long = 'x'.repeat(300);
    stub.setTxt('many.example.test', ['one', long]);
    const answer = (await resolver.resolveTxt('many.example.test')).map((chunks) => chunks.join(''));
    expect(answer.sort()).toEqual(['one', long]);
  });

  it('answers NXDOMAIN for a name it has no record for, and no data for other types', async () => {
    await expect(resolver.resolveTxt('nothing.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('_slipway-challenge.www.example.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('follows changes at once (no caching)', async () => {
    stub.setTxt('moving.example.test', ['a']);
    expect(await resolver.resolveTxt('moving.example.test')).toEqual([['a']]);
    stub.remove('moving.example.test');
    await expect(resolver.resolveTxt('moving.example.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  });

  it('answers a malformed question with FORMERR and ignores a message shorter than a header', () => {
    expect(answerQuery(Buffer.alloc(5), () => undefined)).toBeNull();
    const truncated = Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 5, 0x61]);
    const answer = answerQuery(truncated, () => undefined)!;
    expect(answer.readUInt16BE(0)).toBe(0x1234);
    expect(answer.readUInt16BE(2) & 0x000f).toBe(1);
  });
});
