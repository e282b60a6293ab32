import { randomBytes, randomInt } from 'node:crypto';
import { Agent, fetch, type Response } from 'undici';
import type { SessionDto } from '@slipway/contracts';
import { E2E } from './env';

export const API_URL = E2E.apiUrl;

export interface Answer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A loopback address of its own for one simulated person (all of 127.0.0.0/8 is loopback on
 * Linux; never 127.0.0.1, which the platform trusts as its console). The api limits logins and
 * sign-ups per client address, so people on separate machines must not share one budget.
 */
export const freshClientAddress = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

const agents = new Map<string, Agent>();
/** Connections that leave from `address`, so the server sees that as the client's address. */
export const agentFrom = (address: string): Agent => {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = new Agent({ localAddress: address })));
  return agent;
};

/**
 * A user agent of the API: keeps the session cookie and sends the CSRF token, as the console does.
 * `from`: the loopback address its connections leave from (default 127.0.0.1).
 */
export class ApiClient {
  private cookies = new Map<string, string>();
  csrf?: string;
  bearer?: string;

  constructor(
    readonly from?: string,
    /** Where requests go: the api, or the console (which forwards /api/* to it). */
    readonly baseUrl: string = API_URL,
  ) {}

  static withToken(token: string): ApiClient {
    const c = new ApiClient();
    c.bearer = token;
    return c;
  }

  async call<T = any>(method: string, path: string, body?: unknown, init: { headers?: Record<string, string>; raw?: string } = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.csrf && method !== 'GET' && !('x-csrf-token' in headers)) headers['x-csrf-token'] = this.csrf;
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    let payload: string | undefined = init.raw;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
    } else if (init.raw !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, body: payload, redirect: 'manual', dispatcher: this.from ? agentFrom(this.from) : undefined });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [k, ...v] = pair!.split('=');
      const value = v.join('=');
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k!.trim());
      else this.cookies.set(k!.trim(), value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Opens a GET without reading its body (a live event stream); abort `signal` to close it. */
  async open(path: string, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream' };
    if (this.cookies.size) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.bearer) headers.authorization = `Bearer ${this.bearer}`;
    return fetch(this.baseUrl + path, { headers, signal, dispatcher: this.from ? agentFrom(this.from) : undefined });
  }

  get = <T = any>(p: string) => this.call<T>('GET', p);
  post = <T = any>(p: string, b?: unknown) => this.call<T>('POST', p, b ?? {});
  put = <T = any>(p: string, b?: unknown) => this.call<T>('PUT', p, b);
  patch = <T = any>(p: string, b?: unknown) => this.call<T>('PATCH', p, b);
  del = <T = any>(p: string) => this.call<T>('DELETE', p);

  forgetCookies(): void {
    this.cookies.clear();
  }
}

export const uniqueEmail = (who: string) => `${who}-${randomBytes(4).toString('hex')}@example.test`;

/** Signs a new user up, from an address of their own; returns their client (logged in) and session. */
export async function signUp(who: string, organizationName?: string): Promise<{ client: ApiClient; session: SessionDto; email: string; password: string }> {
  const client = new ApiClient(freshClientAddress());
  const email = uniqueEmail(who);
  const password = 'correct horse battery staple';
  const res = await client.post<SessionDto>('/api/v1/auth/signup', { name: who, email, password, organizationName });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  client.csrf = res.body.csrfToken;
  return { client, session: res.body, email, password };
}

type Person = Awaited<ReturnType<typeof signUp>>;

/** `who` signs up and joins the organization `org` of `owner` with `role`, through an invitation addressed to them. */
export async function joinAs(owner: Person, org: string, who: string, role: string): Promise<Person> {
  const person = await signUp(who);
  const invite = await owner.client.post(`/api/v1/orgs/${org}/invitations`, { role, email: person.email });
  if (invite.status !== 201) throw new Error(`invitation failed: ${invite.status} ${JSON.stringify(invite.body)}`);
  const accepted = await person.client.post(`/api/v1/invitations/${invite.body.token}/accept`);
  if (accepted.status !== 200) throw new Error(`accepting the invitation failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
  return person;
}
