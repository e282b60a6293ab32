import type { FastifyReply } from 'fastify';
import type { Config } from '@slipway/config';

export const SESSION_COOKIE = 'slipway_session';
/** Readable by the console's JavaScript on purpose: it is the double-submit CSRF token. */
export const CSRF_COOKIE = 'slipway_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function setSessionCookies(reply: FastifyReply, config: Config, token: string, csrfToken: string, expiresAt: string): void {
  const common = { path: '/', sameSite: 'lax' as const, secure: config.COOKIE_SECURE, expires: new Date(expiresAt) };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
