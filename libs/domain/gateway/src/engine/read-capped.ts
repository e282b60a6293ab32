import type { Readable } from 'node:stream';

/** A provider's answer larger than the gateway reads (GATEWAY_UPSTREAM_MAX_BYTES). */
export class AnswerTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the answer is larger than ${formatBytes(limit)}, the most the gateway reads`);
  }
}

/**
 * Reads a provider's body as text, never holding more than `limit` bytes: past it the body is
 * destroyed (its connection closed, not returned to the pool) and the read either fails with
 * AnswerTooLarge (`fail`, for answers) or returns what fit (`truncate`, for error bodies, whose
 * start is all anyone reads).
 */
export function readCapped(body: Readable, limit: number, overflow: 'fail' | 'truncate'): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      if (size + chunk.length <= limit) {
        size += chunk.length;
        return void chunks.push(chunk);
      }
      if (overflow === 'truncate') {
        chunks.push(chunk.subarray(0, limit - size));
        size = limit;
      }
      body.removeListener('data', onData);
      body.removeListener('error', reject);
      body.on('error', ignore); // whatever the torn-down socket reports, nobody is reading any more
      body.destroy();
      if (overflow === 'fail') reject(new AnswerTooLarge(limit));
      else resolve(Buffer.concat(chunks, size).toString('utf8'));
    };
    body.on('data', onData);
    body.once('end', () => resolve(Buffer.concat(chunks, size).toString('utf8')));
    body.once('error', reject);
  });
}

const ignore = () => {};

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.round(bytes / 1024)} KB`;
}
