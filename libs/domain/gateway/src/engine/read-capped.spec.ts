import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AnswerTooLarge, readCapped } from './read-capped';

const body = (chunks: string[]) =>
  Readable.from(
    chunks.map((c) => Buffer.from(c)),
    { objectMode: false },
  );

describe('readCapped', () => {
  it('reads a body within its cap', async () => {
    expect(await readCapped(body(['{"a":', '1}']), 16, 'fail')).toBe('{"a":1}');
  });

  it('fails past the cap and destroys the body (the connection is not kept)', async () => {
    const stream = body(['0123456789', '0123456789', '0123456789']);
    await expect(readCapped(stream, 15, 'fail')).rejects.toBeInstanceOf(AnswerTooLarge);
    expect(stream.destroyed).toBe(true);
    await expect(readCapped(body(['x'.repeat(20)]), 2 * 1024 * 1024, 'fail')).resolves.toHaveLength(20);
    expect(new AnswerTooLarge(8 * 1024 * 1024).message).toBe('the answer is larger than 8 MB, the most the gateway reads');
  });

  it('keeps the start of an error body past the cap, and stops reading', async () => {
    const stream = body(['{"error":', '"too long"}', 'and more']);
    expect(await readCapped(stream, 12, 'truncate')).toBe('{"error":"to');
    expect(stream.destroyed).toBe(true);
  });
});
