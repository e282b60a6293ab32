/**
 * The page's time range as it lives in the URL: `?range=1h` for a preset that ends now (live),
 * or `?from=…&to=…` (ISO 8601) for a fixed window. Pure, so the URL round trip is unit-tested.
 */

export const RANGE_PRESETS = ['15m', '1h', '24h', '7d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_SECONDS: Record<RangePreset, number> = { '15m': 900, '1h': 3_600, '24h': 86_400, '7d': 604_800 };
export const PRESET_LABELS: Record<RangePreset, string> = { '15m': '15 min', '1h': '1 hour', '24h': '24 hours', '7d': '7 days' };

export type TimeRange = { kind: 'preset'; preset: RangePreset } | { kind: 'custom'; from: number; to: number };

export const DEFAULT_RANGE: TimeRange = { kind: 'preset', preset: '1h' };

/** Longest custom window the page asks for (the api refuses more than 400 days). */
const MAX_CUSTOM_MS = 400 * 86_400_000;

interface ParamsLike {
  get(name: string): string | null;
}

const isPreset = (v: string | null): v is RangePreset => v !== null && (RANGE_PRESETS as readonly string[]).includes(v);

function parseInstant(v: string | null): number | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

/** The range a URL asks for; anything unreadable (a typo, from after to) falls back to the default, never to an error page. */
export function parseRange(params: ParamsLike): TimeRange {
  const preset = params.get('range');
  if (isPreset(preset)) return { kind: 'preset', preset };
  const from = parseInstant(params.get('from'));
  const to = parseInstant(params.get('to'));
  if (from !== null && to !== null && from < to && to - from <= MAX_CUSTOM_MS) return { kind: 'custom', from, to };
  return DEFAULT_RANGE;
}

/** Writes the range into a copy of `params` (keeping the others, e.g. `env`), dropping the keys of the other kind. */
export function withRange(params: ParamsLike & Iterable<[string, string]>, range: TimeRange): URLSearchParams {
  const next = new URLSearchParams([...params]);
  next.delete('range');
  next.delete('from');
  next.delete('to');
  if (range.kind === 'preset') next.set('range', range.preset);
  else {
    next.set('from', new Date(range.from).toISOString());
    next.set('to', new Date(range.to).toISOString());
  }
  return next;
}

/** A range query string on its own, for links that carry the page's range elsewhere (the org overview's rows). */
export const rangeSearch = (range: TimeRange): string => withRange(new URLSearchParams(), range).toString();

/** True while the range ends now: the page polls and the logs tail. */
export const isLive = (range: TimeRange): boolean => range.kind === 'preset';

/** The window in milliseconds at `now`. */
export function resolveRange(range: TimeRange, now: number): { from: number; to: number } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  return { from: now - PRESET_SECONDS[range.preset] * 1000, to: now };
}

/** The `from`/`to` query of a range route at `now`; a live range leaves `to` out (the api reads it as now). */
export function rangeQuery(range: TimeRange, now: number): { from: string; to?: string } {
  const { from, to } = resolveRange(range, now);
  return range.kind === 'preset'
    ? { from: new Date(from).toISOString() }
    : { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** A stable cache key for the range: a live preset keeps one key while its window moves. */
export const rangeKey = (range: TimeRange): string => (range.kind === 'preset' ? range.preset : `${range.from}-${range.to}`);

/** How often a live range refreshes: often enough to see a deploy land, rarely enough for a week-long chart. */
export function pollInterval(range: TimeRange): number | false {
  if (range.kind !== 'preset') return false;
  return { '15m': 10_000, '1h': 15_000, '24h': 60_000, '7d': 300_000 }[range.preset];
}

/** The value of a `datetime-local` input (local time, minutes) for an instant, and back. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? null : t;
}

/** Points to ask for: ~2 per pixel of a chart as wide as the window, bucketed so a resize does not refetch. */
export function pointsFor(widthPx: number): number {
  return Math.min(2_000, Math.max(100, Math.round((widthPx * 2) / 200) * 200));
}
