import { randomFillSync } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in ms, then random bits, so ids sort
 * by time (the meter's primary key stays append-friendly). Node 20's crypto makes only v4, and
 * the `uuid` package that makes v7 is ESM-only from v12 while the edge compiles to CommonJS:
 * sixteen bytes are simpler than either.
 */
export function uuidv7(now = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  randomFillSync(b, 6, 10);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70; // version 7
  b[8] = (b[8]! & 0x3f) | 0x80; // variant 10
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
