import { NextResponse, type NextRequest } from 'next/server';

/**
 * Forwards `/api/*` to the api at request time, so one build serves any api address
 * (`API_INTERNAL_URL`, e.g. http://api:4000 in docker-compose). Same-origin for the browser:
 * the httpOnly session cookie never needs to be readable by the console's JavaScript.
 */
export function proxy(request: NextRequest): NextResponse {
  const target = new URL(request.nextUrl.pathname + request.nextUrl.search, process.env.API_INTERNAL_URL ?? 'http://127.0.0.1:4000');
  return NextResponse.rewrite(target);
}

export const config = { matcher: '/api/:path*' };
