/**
 * The session cookies, named once for the api (which sets them) and the console (which reads
 * the CSRF one in the browser). Over HTTPS both carry the `__Host-` prefix: the browser then
 * accepts them only with Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or
 * overwrite a session (cookie tossing). Over plain http on localhost they keep the bare names,
 * which browsers would refuse with the prefix.
 */
export const SESSION_COOKIE_BASE = 'slipway_session';
/** Readable by the console's JavaScript on purpose: it is the double-submit CSRF token. */
export const CSRF_COOKIE_BASE = 'slipway_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SECURE_COOKIE_PREFIX = '__Host-';

export interface SessionCookieNames {
  session: string;
  csrf: string;
}

export function sessionCookieNames(secure: boolean): SessionCookieNames {
  const prefix = secure ? SECURE_COOKIE_PREFIX : '';
  return { session: `${prefix}${SESSION_COOKIE_BASE}`, csrf: `${prefix}${CSRF_COOKIE_BASE}` };
}

/**
 * The CSRF token from a `document.cookie` string. The console cannot know how the api was
 * configured, so it takes either name, the prefixed one first (only an HTTPS api sets it).
 */
export function csrfFromCookieString(cookies: string): string | null {
  for (const name of [sessionCookieNames(true).csrf, sessionCookieNames(false).csrf]) {
    const value = new RegExp(`(?:^|;\\s*)${name}=([^;]+)`).exec(cookies)?.[1];
    if (value) return decodeURIComponent(value);
  }
  return null;
}
