/**
 * Numbers as the observability page shows them, on chart axes, legends, tables and cards.
 * Every formatter takes null (no data in the slot) and answers "—".
 */

const DASH = '—';
const ok = (n: number | null | undefined): n is number => n !== null && n !== undefined && Number.isFinite(n);

/** 1,234 · 12.3k · 4.5M: counts on axes and in tables. */
export function formatCount(n: number | null | undefined): string {
  if (!ok(n)) return DASH;
  const abs = Math.abs(n);
  if (abs >= 1e6) return `${trim(n / 1e6)}M`;
  if (abs >= 1e4) return `${trim(n / 1e3)}k`;
  return Number.isInteger(n) ? n.toLocaleString('en-US') : trim(n);
}

/** "12.5/s", "0.02/s": request rates. */
export function formatRate(n: number | null | undefined): string {
  if (!ok(n)) return DASH;
  if (n === 0) return '0/s';
  if (Math.abs(n) < 0.1) return `${n.toFixed(3).replace(/0+$/, '')}/s`;
  return `${formatCount(n)}/s`;
}

/** A share 0…1 as "4 %", "0.1 %", "0.03 %" (the precision a small error rate needs). */
export function formatPercent(share: number | null | undefined): string {
  if (!ok(share)) return DASH;
  const p = share * 100;
  if (p === 0) return '0 %';
  if (Math.abs(p) >= 10) return `${Math.round(p)} %`;
  if (Math.abs(p) >= 1) return `${trim(p)} %`;
  return `${Number(p.toPrecision(1))} %`;
}

/** CPU: percent of one core, already ×100 ("85 %", "150 %"). */
export function formatCpu(percent: number | null | undefined): string {
  if (!ok(percent)) return DASH;
  return `${percent >= 10 ? Math.round(percent) : trim(percent)} %`;
}

/** "850 ms", "1.2 s": latencies and TTFT. */
export function formatMs(ms: number | null | undefined): string {
  if (!ok(ms)) return DASH;
  if (Math.abs(ms) < 1) return `${trim(ms)} ms`;
  if (Math.abs(ms) < 1000) return `${Math.round(ms)} ms`;
  return `${trim(ms / 1000)} s`;
}

/** "512 MiB", "1.5 GiB": memory against its limit. */
export function formatBytes(bytes: number | null | undefined): string {
  if (!ok(bytes)) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : trim(v)} ${units[i]}`;
}

/** "$0.0042", "$12.50": model cost; small amounts keep two significant digits. */
export function formatUsd(usd: number | null | undefined): string {
  if (!ok(usd)) return DASH;
  if (usd === 0) return '$0';
  if (Math.abs(usd) < 0.01) return `$${Number(usd.toPrecision(2))}`;
  return `$${usd.toFixed(2)}`;
}

/** "v12"; a deleted release has no number. */
export const releaseLabel = (n: number | null | undefined): string => (ok(n) ? `v${n}` : 'deleted release');

/** One decimal, no trailing ".0". */
function trim(n: number): string {
  return String(Math.round(n * 10) / 10);
}
