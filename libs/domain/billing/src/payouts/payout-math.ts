import { mulDivHalfUp } from '../rating/money';

export interface StatementAmounts {
  grossMicros: bigint;
  creditNotesMicros: bigint;
  feeMicros: bigint;
  netMicros: bigint;
}

/**
 * A publisher's statement for a period: what consumers paid (gross) − credit notes issued −
 * the platform fee, which is `feeBps` of (gross − credit notes) rounded half up to the micro-USD.
 * No fee is taken on a period whose credit notes reach its gross; its net is then ≤ 0 (nothing is
 * paid out, and the statement says so).
 */
export function statementAmounts(grossMicros: bigint, creditNotesMicros: bigint, feeBps: number): StatementAmounts {
  if (grossMicros < 0n || creditNotesMicros < 0n) throw new RangeError('amounts are non-negative');
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > 10_000) throw new RangeError('the fee is 0 to 10,000 basis points');
  const base = grossMicros - creditNotesMicros;
  const feeMicros = base > 0n ? mulDivHalfUp(base, BigInt(feeBps), 10_000n) : 0n;
  return { grossMicros, creditNotesMicros, feeMicros, netMicros: base - feeMicros };
}

/** The calendar month (UTC) containing `at`: [start, end). */
export function monthOf(at: Date): { start: Date; end: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { start, end: new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)) };
}
