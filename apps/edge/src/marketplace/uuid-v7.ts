import { randomUUID } from 'node:crypto';

/**
 * A UUID version 7 (RFC 9562 §5.7): 48 bits of Unix time in ms, then random bits, so ids sort
 * by time (the meter's primary key stays append-friendly). Node 20's crypto makes only v4, and
 * the `uuid` package that makes v7 is ESM-only from v12 while the edge compiles to CommonJS.
 * A v4 already has the right variant bits and 122 random ones from Node's buffered random
 * pool (a syscall per call costs more than the rest of the key check): the time goes over its
 * first 48 bits and the version nibble becomes 7, leaving 74 random bits.
 */
export function uuidv7(now = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(15)}`;
}
