import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { catalogListingSchema } from '@slipway/contracts';
import { NextResponse, type NextRequest } from 'next/server';
import {
  connectTarget,
  TRY_MAX_ANSWER_BYTES,
  TRY_SHOWN_HEADERS,
  TRY_TIMEOUT_MS,
  parseTryCall,
  type TryAnswer,
  type TryCall,
} from '../../../../lib/marketplace/try-call';

/**
 * The listing page's try-it panel sends its call here, and this forwards it to the listing's
 * own host at the edge (`<slug>.<API_DOMAIN>`, from the api's catalog answer — never from the
 * request), with the key the visitor typed. It exists because the edge answers no CORS for
 * listing hosts, so a browser page on the console's origin cannot read their answers. JSON only
 * (a cross-site form cannot send it without a CORS preflight, which this never answers), bounded
 * body, answer and time.
 */
export const runtime = 'nodejs';

const problem = (status: number, detail: string) =>
  NextResponse.json(
    { type: 'about:blank', title: detail, status, detail },
    { status, headers: { 'content-type': 'application/problem+json' } },
  );

export async function POST(req: NextRequest, { params }: { params: Promise<{ slug: string }> }): Promise<NextResponse> {
  if (!req.headers.get('content-type')?.startsWith('application/json')) return problem(415, 'Send the call as application/json.');
  const { slug } = await params;
  let call: TryCall;
  try {
    const parsed = parseTryCall(await req.json());
    if (!parsed.ok) return problem(400, parsed.problems.join(' '));
    call = parsed.call;
  } catch {
    return problem(400, 'The body is not JSON.');
  }

  // The listing as any visitor sees it (through this console's own /api proxy): its base URL is the only target.
  const listingRes = await fetch(new URL(`/api/v1/catalog/${encodeURIComponent(slug)}`, req.nextUrl.origin), {
    cache: 'no-store',
    headers: { accept: 'application/json' },
  });
  if (listingRes.status === 404) return problem(404, 'No published API has this slug.');
  if (!listingRes.ok) return problem(502, `The catalog answered ${listingRes.status}.`);
  const listing = catalogListingSchema.safeParse(await listingRes.json());
  if (!listing.success) return problem(502, 'The catalog sent an unexpected answer.');

  return NextResponse.json(await send(listing.data.baseUrl, call));
}

function send(baseUrl: string, call: TryCall): Promise<TryAnswer> {
  const target = connectTarget(baseUrl);
  const started = Date.now();
  const headers: Record<string, string> = { host: target.hostHeader, accept: 'application/json, */*' };
  if (call.apiKey) headers.authorization = `Bearer ${call.apiKey}`;
  const body = call.body && call.method !== 'GET' ? Buffer.from(call.body) : null;
  if (body) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(body.length);
  }
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request(
      {
        host: target.connectHost,
        servername: target.protocol === 'https:' ? target.hostHeader.split(':')[0] : undefined,
        port: target.port,
        method: call.method,
        path: call.path,
        headers,
        timeout: TRY_TIMEOUT_MS,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        res.on('data', (chunk: Buffer) => {
          if (size >= TRY_MAX_ANSWER_BYTES) {
            truncated = true;
            res.destroy();
            return;
          }
          chunks.push(chunk);
          size += chunk.length;
        });
        const finish = () => {
          const shown: Record<string, string> = {};
          for (const name of TRY_SHOWN_HEADERS) {
            const v = res.headers[name];
            if (v !== undefined) shown[name] = Array.isArray(v) ? v.join(', ') : v;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: shown,
            body: Buffer.concat(chunks).subarray(0, TRY_MAX_ANSWER_BYTES).toString('utf8'),
            truncated,
            durationMs: Date.now() - started,
          });
        };
        res.on('end', finish);
        res.on('close', finish);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`No answer within ${TRY_TIMEOUT_MS / 1000} s.`)));
    req.on('error', (err) =>
      resolve({
        status: 0,
        headers: {},
        body: `Could not reach ${baseUrl}: ${err.message}`,
        truncated: false,
        durationMs: Date.now() - started,
      }),
    );
    req.end(body ?? undefined);
  });
}
