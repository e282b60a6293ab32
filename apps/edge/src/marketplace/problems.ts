import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { MARKETPLACE_EDGE_PROBLEMS, marketplaceProblemType, type MarketplaceEdgeProblemCode } from '@slipway/contracts';

/** RFC 9457 problem details of an edge refusal; `instance` is the request id (also in `x-request-id`). */
export function problemBody(code: MarketplaceEdgeProblemCode, requestId: string, detail?: string): string {
  const { status, title } = MARKETPLACE_EDGE_PROBLEMS[code];
  return JSON.stringify({ type: marketplaceProblemType(code), title, status, detail: detail ?? title, code, instance: requestId });
}

export function sendProblem(res: ServerResponse, code: MarketplaceEdgeProblemCode, requestId: string, detail?: string, headers: OutgoingHttpHeaders = {}): void {
  const body = problemBody(code, requestId, detail);
  res.writeHead(MARKETPLACE_EDGE_PROBLEMS[code].status, {
    ...headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  });
  res.end(body);
}

/** The same answer on a raw socket (an upgrade request to a listing host). */
export function rawProblem(code: MarketplaceEdgeProblemCode, requestId: string, detail?: string): string {
  const body = problemBody(code, requestId, detail);
  const { status } = MARKETPLACE_EDGE_PROBLEMS[code];
  return (
    `HTTP/1.1 ${status} ${code}\r\ncontent-type: application/problem+json\r\ncache-control: no-store\r\nx-request-id: ${requestId}\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`
  );
}
