import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookiesSecure, type Config } from '@slipway/config';
import { sessionCookieNames, type SessionCookieNames } from '@slipway/contracts';

export { CSRF_HEADER } from '@slipway/contracts';

/** The cookie names this api uses: `__Host-` prefixed when the console is served over HTTPS. */
export const cookieNamesFor = (config: Config): SessionCookieNames => sessionCookieNames(cookiesSecure(config));

/**
 * The session cookie of a request, under the configured name only: over HTTPS a bare
 * `slipway_session` (which any sibling subdomain could plant) is not a session.
 */
export const sessionCookieOf = (req: FastifyRequest, config: Config): string | undefined => req.cookies?.[cookieNamesFor(config).session];

export function setSessionCookies(reply: FastifyReply, config: Config, token: string, csrfToken: string, expiresAt: string): void {
  const names = cookieNamesFor(config);
  const common = { path: '/', sameSite: 'lax' as const, secure: cookiesSecure(config), expires: new Date(expiresAt) };
  reply.setCookie(names.session, token, { ...common, httpOnly: true });
  reply.setCookie(names.csrf, csrfToken, { ...common, httpOnly: false });
}

/** Same attributes as when set: a browser ignores a `__Host-` cookie cleared without Secure. */
export function clearSessionCookies(reply: FastifyReply, config: Config): void {
  const names = cookieNamesFor(config);
  const common = { path: '/', sameSite: 'lax' as const, secure: cookiesSecure(config) };
  reply.clearCookie(names.session, { ...common, httpOnly: true });
  reply.clearCookie(names.csrf, common);
}
