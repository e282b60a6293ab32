/**
 * The fixed windows counters live in, all UTC. A window's key is part of the counter's Redis
 * key, so a new period starts from zero by itself; the old counter expires a little after its
 * window ends (late settlements of long streams still find it).
 */
export interface CounterWindow {
  /** Part of the Redis key: `d20250115`, `m202501`, `t29012345` (minutes since the epoch). */
  key: string;
  /** When the window starts (ms since the epoch): spend since then is what a rebuilt counter holds. */
  startMs: number;
  /** When the window ends (ms since the epoch). */
  endMs: number;
  /** When the counter may go (unix seconds, for EXPIREAT). */
  expireAt: number;
}

export type BudgetPeriod = 'day' | 'month';

/** Budgets keep their counter an hour past the period: streams that started before still settle. */
const PERIOD_MARGIN_S = 3_600;
/** Minute counters live 120 s from the window's start, as rate windows need no history. */
const MINUTE_TTL_S = 120;

export function periodWindow(period: BudgetPeriod, now: Date): CounterWindow {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const startMs = period === 'day' ? Date.UTC(y, m, now.getUTCDate()) : Date.UTC(y, m, 1);
  const endMs = period === 'day' ? Date.UTC(y, m, now.getUTCDate() + 1) : Date.UTC(y, m + 1, 1);
  const ymd = `${y}${pad(m + 1)}${period === 'day' ? pad(now.getUTCDate()) : ''}`;
  return { key: `${period === 'day' ? 'd' : 'm'}${ymd}`, startMs, endMs, expireAt: Math.floor(endMs / 1000) + PERIOD_MARGIN_S };
}

export function minuteWindow(now: Date): CounterWindow {
  const minute = Math.floor(now.getTime() / 60_000);
  return { key: `t${minute}`, startMs: minute * 60_000, endMs: (minute + 1) * 60_000, expireAt: minute * 60 + MINUTE_TTL_S };
}

/** Whole seconds until the window ends, at least 1 (a retry-after of 0 invites a hot loop). */
export function secondsUntil(endMs: number, now: Date): number {
  return Math.max(1, Math.ceil((endMs - now.getTime()) / 1000));
}

const pad = (n: number): string => String(n).padStart(2, '0');
