/**
 * Marketplace money is integer micro-USD (1 USD = 1,000,000) in every contract. These format it
 * for people: whole cents where a price is whole cents, and as many decimals as a per-call price
 * needs (0.0004 USD a call is common), never a float rounding artefact such as 0.30000000000000004.
 */
const MICROS_PER_USD = 1_000_000;

/** "$12.00", "$0.0004", "$0" — the shortest exact rendering with at least cents when not whole. */
export function formatMicros(micros: number | bigint | string | null | undefined): string {
  if (micros === null || micros === undefined || micros === '') return '—';
  let n: bigint;
  try {
    n = BigInt(micros);
  } catch {
    return '—';
  }
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const whole = abs / BigInt(MICROS_PER_USD);
  const frac = (abs % BigInt(MICROS_PER_USD)).toString().padStart(6, '0').replace(/0+$/, '');
  const decimals = frac.length === 0 ? '' : `.${frac.padEnd(2, '0')}`;
  const grouped = whole.toLocaleString('en-US');
  return `${negative ? '-' : ''}$${grouped}${decimals}`;
}

/** "$1.20 per 1,000 calls" reads better than "$0.0012 per call" for small unit prices. */
export function formatUnitPrice(unitMicros: number, unit = 'call'): string {
  if (unitMicros === 0) return 'free';
  if (unitMicros < 1_000) return `${formatMicros(unitMicros * 1_000)} per 1,000 ${unit}s`;
  return `${formatMicros(unitMicros)} per ${unit}`;
}

/** Parses what a publisher types in a price field ("0.0012", "$12", "1,000.5") into micro-USD; null when it is not an amount. */
export function parseUsdToMicros(input: string): number | null {
  const clean = input.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{0,6})?$/.test(clean)) return null;
  const [whole, frac = ''] = clean.split('.');
  return Number(whole) * MICROS_PER_USD + Number(frac.padEnd(6, '0'));
}

/** Micro-USD back to the plain decimal a price field shows ("0.0012"). */
export function microsToUsdInput(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_USD);
  const frac = String(micros % MICROS_PER_USD)
    .padStart(6, '0')
    .replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : String(whole);
}
