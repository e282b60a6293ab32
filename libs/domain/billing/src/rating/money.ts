/**
 * Integer micro-USD arithmetic. Every amount is a bigint; a fraction appears only inside one
 * computation and is rounded once, half up (0.5 µUSD → 1), where the line's amount is made.
 */

/** `a × b / c`, rounded half up. Operands are non-negative (prices, quantities, fractions of a period). */
export function mulDivHalfUp(a: bigint, b: bigint, c: bigint): bigint {
  if (c <= 0n) throw new RangeError('mulDivHalfUp: the divisor must be positive');
  if (a < 0n || b < 0n) throw new RangeError('mulDivHalfUp: operands must be non-negative');
  return (a * b * 2n + c) / (2n * c);
}

export const minBig = (a: bigint, b: bigint): bigint => (a < b ? a : b);
export const maxBig = (a: bigint, b: bigint): bigint => (a > b ? a : b);

/** `12.5` → `"$12.50"`-style text for line descriptions: micro-USD with cents, more digits only when needed. */
export function formatUsd(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const dollars = abs / 1_000_000n;
  let fraction = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  if (fraction.length < 2) fraction = fraction.padEnd(2, '0');
  return `${negative ? '-' : ''}$${dollars.toString()}.${fraction}`;
}
