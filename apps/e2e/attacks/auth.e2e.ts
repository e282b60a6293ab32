import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, freshClientAddress, signUp, uniqueEmail, type Answer } from '../support/api-client';
import { CONSOLE_URL } from '../support/browser';
import { E2E } from '../support/env';

/**
 * Attacks on signing in and signing up, made as any signed-up user (or anyone on the network)
 * would: over HTTP, each attacker and victim from a loopback address of its own, straight to the
 * api or through the console as a browser would.
 */

const LOGIN = '/api/v1/auth/login';
const SIGNUP = '/api/v1/auth/signup';

interface Timed extends Answer {
  ms: number;
}

async function timedLogin(client: ApiClient, email: string, password: string, headers: Record<string, string> = {}): Promise<Timed> {
  const started = performance.now();
  const answer = await client.call('POST', LOGIN, { email, password }, { headers });
  return { ...answer, ms: performance.now() - started };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function expectThrottled(answer: Answer, code = 'TOO_MANY_ATTEMPTS', windowSeconds = E2E.loginWindowSeconds): void {
  expect(answer.status).toBe(429);
  expect(answer.headers.get('content-type')).toContain('application/problem+json');
  expect(answer.body.code).toBe(code);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(answer.headers.get('set-cookie')).toBeNull();
}

describe('attack: parallel password guessing against one account', () => {
  it(`lets at most LOGIN_MAX_PER_ACCOUNT of 50 parallel guesses be checked; the rest are refused at once, then the right password too`, async () => {
    const victim = await signUp('GuessVictim');
    const attacker = new ApiClient(freshClientAddress());
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => timedLogin(attacker, victim.email, `guess number ${i} of many`)));

    const checked = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    // A 401 means the password was verified (and wrong): at most the account's allowance.
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(E2E.loginMaxPerAccount);
    expect(checked.length + refused.length).toBe(50);
    for (const a of checked) expect(a.body).toMatchObject({ code: 'INVALID_CREDENTIALS', title: 'Email or password is incorrect.' });
    for (const a of refused) expectThrottled(a);
    // Refused before any argon2 work: they come back well before the verified guesses do.
    expect(median(refused.map((a) => a.ms))).toBeLessThan(median(checked.map((a) => a.ms)));

    // The account stays closed for the window, to the right password from the owner's own address.
    const owner = await timedLogin(new ApiClient(victim.client.from), victim.email, victim.password);
    expectThrottled(owner);
  });

  it('answers a locked unknown email exactly like a locked real one, so lock-outs do not reveal accounts', async () => {
    const real = await signUp('RealTarget');
    const ghost = uniqueEmail('ghost');
    const lockOut = async (email: string) => {
      const attacker = new ApiClient(freshClientAddress());
      const answers = await Promise.all(Array.from({ length: E2E.loginMaxPerAccount + 1 }, (_, i) => attacker.post(LOGIN, { email, password: `wrong password ${i}` })));
      return answers.map((a) => `${a.status} ${a.body.code} ${a.body.title}`).sort();
    };
    expect(await lockOut(ghost)).toEqual(await lockOut(real.email));
  });
});

describe('attack: forging X-Forwarded-For to escape the per-address limit', () => {
  let victim: Awaited<ReturnType<typeof signUp>>;
  const attackerAddress = freshClientAddress();
  const forged = (i: number) => ({ 'x-forwarded-for': `198.51.100.${i % 250}`, 'x-real-ip': `203.0.113.${i % 250}`, forwarded: `for=192.0.2.${i % 250}` });

  beforeAll(async () => {
    victim = await signUp('ConsoleUser');
    // LOGIN_MAX_PER_IP failed logins straight at the api, each for another (unknown) account and
    // with another forged address: the api counts them under the socket's address all the same.
    const direct = new ApiClient(attackerAddress);
    const answers = await Promise.all(Array.from({ length: E2E.loginMaxPerIp }, (_, i) => direct.call('POST', LOGIN, { email: uniqueEmail(`spray${i}`), password: 'password123!' }, { headers: forged(i) })));
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));
  });

  it('a request straight to the api is counted under its real address, whatever it forwards', async () => {
    const again = await new ApiClient(attackerAddress).call('POST', LOGIN, { email: uniqueEmail('spray-more'), password: 'password123!' }, { headers: forged(999) });
    expectThrottled(again);
  });

  it('through the console, a forged X-Forwarded-For does not change the counted address', async () => {
    const viaConsole = new ApiClient(attackerAddress, CONSOLE_URL);
    for (let i = 0; i < 3; i++) {
      const answer = await viaConsole.call('POST', LOGIN, { email: uniqueEmail(`console-spray${i}`), password: 'password123!' }, { headers: forged(1000 + i) });
      expectThrottled(answer);
    }
    // Not even the victim's own right password gets through from the attacker's address.
    expectThrottled(await viaConsole.post(LOGIN, { email: victim.email, password: victim.password }));
  });

  it('the locked-out attacker leaves every other browser signing in through the console', async () => {
    const login = await new ApiClient(freshClientAddress(), CONSOLE_URL).post(LOGIN, { email: victim.email, password: victim.password });
    expect(login.status).toBe(200);
    expect(login.body.user.email).toBe(victim.email.toLowerCase());
    // A user on 127.0.0.1 itself (the console's own address) signs in too: the console is not one shared budget.
    expect((await new ApiClient(undefined, CONSOLE_URL).post(LOGIN, { email: victim.email, password: victim.password })).status).toBe(200);
  });
});

describe('attack: a sign-up flood from one address', () => {
  const tag = `flood${Date.now().toString(36)}`;
  let db: pg.Client;

  beforeAll(async () => {
    db = new pg.Client({ connectionString: E2E.databaseUrl });
    await db.connect();
  });
  afterAll(() => db?.end());

  it(`creates at most SIGNUP_MAX_PER_IP accounts, then answers 429 with retry-after and writes nothing`, async () => {
    const flooder = new ApiClient(freshClientAddress());
    const attempts = E2E.signupMaxPerIp + 5;
    const answers = await Promise.all(
      Array.from({ length: attempts }, (_, i) => flooder.post(SIGNUP, { name: `Bot ${i}`, email: `${tag}-${i}@example.test`, password: 'correct horse battery staple', organizationName: `${tag} ${i}` })),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 429);
    expect(created).toHaveLength(E2E.signupMaxPerIp);
    expect(refused).toHaveLength(5);
    for (const a of refused) expectThrottled(a, 'TOO_MANY_SIGNUPS', E2E.signupWindowSeconds);

    const users = await db.query(`SELECT count(*)::int AS n FROM "User" WHERE email LIKE $1`, [`${tag}-%`]);
    const orgs = await db.query(`SELECT count(*)::int AS n FROM "Organization" WHERE name LIKE $1`, [`${tag} %`]);
    expect(users.rows[0].n).toBe(E2E.signupMaxPerIp);
    expect(orgs.rows[0].n).toBe(E2E.signupMaxPerIp);

    // Someone else, on another address, still signs up.
    await signUp('AfterTheFlood');
  });
});

describe('session cookies over plain http (the platform under test)', () => {
  it('keep their bare names, HttpOnly for the session, SameSite=Lax, no Secure, and work', async () => {
    const client = new ApiClient(freshClientAddress());
    const res = await client.post(SIGNUP, { name: 'Cookies', email: uniqueEmail('cookies'), password: 'correct horse battery staple' });
    expect(res.status).toBe(201);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((c) => c.startsWith('slipway_session='));
    const csrf = cookies.find((c) => c.startsWith('slipway_csrf='));
    expect(session).toMatch(/; Path=\//);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; SameSite=Lax/);
    expect(session).not.toMatch(/; Secure/);
    expect(csrf).not.toMatch(/HttpOnly/);
    expect(cookies.some((c) => c.startsWith('__Host-'))).toBe(false);
    expect((await client.get('/api/v1/auth/session')).status).toBe(200);
  });
});
