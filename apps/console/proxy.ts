import { NextResponse, type NextRequest } from 'next/server';
import { CLIENT_ADDRESS_HEADER } from './server/client-address.mjs';

/** Headers in which a client could name an address of its choosing; none of them reaches the api. */
const CLIENT_SUPPLIED_ADDRESS_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip', CLIENT_ADDRESS_HEADER];

/**
 * Forwards `/api/*` to the api at request time, so one build serves any api address
 * (`API_INTERNAL_URL`, e.g. http://api:4000 in docker-compose). Same-origin for the browser:
 * the httpOnly session cookie never needs to be readable by the console's JavaScript.
 *
 * The api counts login and sign-up attempts per client address and believes this console's
 * X-Forwarded-For (TRUSTED_PROXIES). So the header is set — never appended to — to the address
 * the console's own server saw (server.mjs); whatever address headers the client sent are
 * dropped. Without that address (the console started some other way) none is forwarded, and the
 * api counts the console itself: stricter, never forgeable.
 */
export function proxy(request: NextRequest): NextResponse {
  const target = new URL(request.nextUrl.pathname + request.nextUrl.search, process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000');
  const client = request.headers.get(CLIENT_ADDRESS_HEADER);
  const headers = new Headers(request.headers);
  for (const name of CLIENT_SUPPLIED_ADDRESS_HEADERS) headers.delete(name);
  if (client) headers.set('x-forwarded-for', client);
  return NextResponse.rewrite(target, { request: { headers } });
}

export const config = { matcher: '/api/:path*' };
