import { csrfFromCookieString, problemSchema, routePath, routes, type Problem, type RouteName } from '@slipway/contracts';

/**
 * A tiny typed client over the route contracts: the path comes from `routePath`, the body type
 * from the route's zod body schema and the result is parsed with its zod response schema.
 */
type Routes = typeof routes;
type SchemaInput<S> = S extends { _zod: { input: infer I } } ? I : never;
type SchemaOutput<S> = S extends { _zod: { output: infer O } } ? O : never;

export type ApiBody<N extends RouteName> = Routes[N] extends { body: infer B } ? SchemaInput<B> : never;
export type ApiResult<N extends RouteName> = Routes[N] extends { response: infer R } ? SchemaOutput<R> : void;

export interface ApiOptions<N extends RouteName> {
  params?: Record<string, string>;
  body?: ApiBody<N>;
  query?: Record<string, string | number | undefined>;
  signal?: AbortSignal;
}

/** A problem+json answer (or a network failure, status 0) as a throwable value. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  get code(): string | undefined {
    return this.problem?.code;
  }

  /** Field errors keyed by their last path segment ("body.slug" → "slug"). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem?.errors ?? []) {
      const key = e.path.split(/[./]/).filter(Boolean).pop() ?? e.path;
      out[key] ??= e.message;
    }
    return out;
  }
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfFallback: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The session provider keeps the CSRF token here; the CSRF cookie (`[__Host-]slipway_csrf`) wins when present. */
export function setCsrfToken(token: string | null): void {
  csrfFallback = token;
}

/** Called when a signed-in route answers 401 (the session ended). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

function csrfToken(): string | null {
  if (typeof document !== 'undefined') {
    const fromCookie = csrfFromCookieString(document.cookie);
    if (fromCookie) return fromCookie;
  }
  return csrfFallback;
}

async function toApiError(res: Response): Promise<ApiError> {
  let problem: Problem | null = null;
  try {
    const parsed = problemSchema.safeParse(await res.json());
    if (parsed.success) problem = parsed.data;
  } catch {
    // Not JSON (a proxy error page, say): fall through to a generic message.
  }
  const message = problem ? (problem.detail ?? problem.title) : `The server answered ${res.status} ${res.statusText}.`;
  return new ApiError(res.status, problem, message);
}

export async function api<N extends RouteName>(name: N, options: ApiOptions<N> = {}): Promise<ApiResult<N>> {
  const route: Routes[RouteName] = routes[name];
  let url = routePath(name, options.params);
  if (options.query) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query)) if (v !== undefined) qs.set(k, String(v));
    if ([...qs].length > 0) url += `?${qs.toString()}`;
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (MUTATING.has(route.method)) {
    const token = csrfToken();
    if (token) headers['x-csrf-token'] = token;
  }
  const hasBody = options.body !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(url, {
      method: route.method,
      headers,
      body: hasBody ? JSON.stringify(options.body) : undefined,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, null, 'Cannot reach the server. Check your connection and retry.');
  }

  if (!res.ok) {
    const error = await toApiError(res);
    if (res.status === 401 && route.auth === 'user' && name !== 'session') onUnauthenticated?.();
    throw error;
  }
  if (!('response' in route) || res.status === 204) return undefined as ApiResult<N>;
  const parsed = route.response.safeParse(await res.json());
  if (!parsed.success) {
    console.error(`Response of ${name} does not match its contract`, parsed.error.issues);
    throw new ApiError(res.status, null, 'The server sent an unexpected response.');
  }
  return parsed.data as unknown as ApiResult<N>;
}
