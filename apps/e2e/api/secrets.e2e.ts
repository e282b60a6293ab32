import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signUp } from '../support/api-client';
import { E2E } from '../support/env';

const run = promisify(execFile);
const SECRET = `sk-live-${Date.now()}-do-not-leak`;

describe('environment variables and secrets', () => {
  let owner: ApiClient;
  let org: string;
  let vars: string;

  beforeAll(async () => {
    const u = await signUp('Secrets');
    owner = u.client;
    org = u.session.organizations[0]!.slug;
    expect((await owner.post(`/api/v1/orgs/${org}/projects`, { name: 'api' })).status).toBe(201);
    vars = `/api/v1/orgs/${org}/projects/api/environments/production/variables`;
  });

  it('stores a secret masked, reveals it on request (audited), and versions every change', async () => {
    expect((await owner.put(`${vars}/STRIPE_KEY`, { value: SECRET, secret: true })).body).toMatchObject({ key: 'STRIPE_KEY', secret: true, value: '••••••••', version: 1 });
    expect((await owner.put(`${vars}/LOG_LEVEL`, { value: 'debug' })).body).toMatchObject({ value: 'debug', version: 1 });
    const list = await owner.get(vars);
    expect(list.body.map((v: { key: string; value: string }) => [v.key, v.value])).toEqual([
      ['LOG_LEVEL', 'debug'],
      ['STRIPE_KEY', '••••••••'],
    ]);
    expect(JSON.stringify(list.body)).not.toContain(SECRET);

    const revealed = await owner.post(`${vars}/STRIPE_KEY/reveal`);
    expect(revealed.body).toEqual({ key: 'STRIPE_KEY', value: SECRET, version: 1 });

    expect((await owner.put(`${vars}/STRIPE_KEY`, { value: `${SECRET}-2`, secret: true })).body.version).toBe(2);
    expect((await owner.put(`${vars}/STRIPE_KEY`, { value: `${SECRET}-2`, secret: true })).body.version).toBe(2);
    const versions = await owner.get(`${vars}/STRIPE_KEY/versions`);
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const audit = await owner.get(`/api/v1/orgs/${org}/audit-log`);
    expect(audit.body.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['secret.set', 'secret.revealed']));
    expect(JSON.stringify(audit.body)).not.toContain(SECRET);
  });

  it('rejects invalid names and empty secrets, and a bulk paste with one bad line writes nothing', async () => {
    const badName = await owner.put(`${vars}/1BAD-NAME`, { value: 'x' });
    expect(badName.status).toBe(400);
    expect(badName.body.code).toBe('VALIDATION_FAILED');
    const empty = await owner.put(`${vars}/EMPTY_SECRET`, { value: '', secret: true });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ path: 'value', message: 'A secret cannot be empty.' })]);

    const bad = await owner.post(`${vars}/bulk`, { dotenv: 'GOOD_ONE=1\nbad-name=2\nALSO_GOOD="three"\n' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'line 2' })]);
    const keys = (await owner.get(vars)).body.map((v: { key: string }) => v.key);
    expect(keys).not.toContain('GOOD_ONE');

    const ok = await owner.post(`${vars}/bulk`, { dotenv: '# pasted\nGOOD_ONE=1\nexport ALSO_GOOD="three"\nLOG_LEVEL=debug\n' });
    expect(ok.body).toEqual({ created: 2, updated: 0, unchanged: 1 });
  });

  it('deletes a variable, keeping its history', async () => {
    expect((await owner.del(`${vars}/GOOD_ONE`)).status).toBe(204);
    expect((await owner.get(vars)).body.map((v: { key: string }) => v.key)).not.toContain('GOOD_ONE');
    expect((await owner.get(`${vars}/GOOD_ONE/versions`)).body[0]).toMatchObject({ version: 2, deleted: true });
    expect((await owner.del(`${vars}/NEVER_EXISTED`)).status).toBe(404);
  });

  it('keeps no plaintext secret in a database dump', async () => {
    const plain = `plain-value-${Date.now()}`;
    expect((await owner.put(`${vars}/PLAIN_MARKER`, { value: plain })).status).toBe(200);
    const { stdout } = await run('pg_dump', ['--data-only', E2E.databaseUrl], { maxBuffer: 256 * 1024 * 1024 });
    expect(stdout).toContain('EnvVarVersion');
    expect(stdout).not.toContain(SECRET);
    expect(stdout).not.toContain(plain); // plain variables are sealed too
  });
});
