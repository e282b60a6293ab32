/**
 * RFC 4180 CSV: fields with a comma, quote or line break are quoted, quotes doubled, lines end
 * with CRLF. Text that came from outside (operation paths, descriptions) goes through `text()`,
 * which defuses spreadsheet formulas (a leading =, +, -, @, tab or CR gets a leading ').
 */
export function csvLine(fields: readonly (string | number | bigint | boolean | null)[]): string {
  return `${fields.map((f) => quote(f === null ? '' : String(f))).join(',')}\r\n`;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function text(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Micro-USD as an exact decimal in USD with six places: 12345678 → "12.345678", -5 → "-0.000005". */
export function usdDecimal(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  return `${negative ? '-' : ''}${abs / 1_000_000n}.${(abs % 1_000_000n).toString().padStart(6, '0')}`;
}
