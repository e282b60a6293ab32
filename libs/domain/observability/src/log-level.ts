import type { LogLevel } from '@slipway/contracts';

/** Rank of each level: "this level and above" is `rank >= LOG_LEVEL_RANK[level]`. */
export const LOG_LEVEL_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The levels at or above `level`, for an `IN (…)` filter. */
export const levelsFrom = (level: LogLevel): LogLevel[] =>
  (Object.keys(LOG_LEVEL_RANK) as LogLevel[]).filter((l) => LOG_LEVEL_RANK[l] >= LOG_LEVEL_RANK[level]);

const NAMES: Readonly<Record<string, LogLevel>> = {
  trace: 'debug',
  debug: 'debug',
  verbose: 'debug',
  fine: 'debug',
  info: 'info',
  information: 'info',
  notice: 'info',
  log: 'info',
  warn: 'warn',
  warning: 'warn',
  error: 'error',
  err: 'error',
  fatal: 'error',
  critical: 'error',
  crit: 'error',
  panic: 'error',
  alert: 'error',
  emergency: 'error',
  emerg: 'error',
};

/** pino / bunyan numbers: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function fromNumber(n: number): LogLevel {
  if (n >= 50) return 'error';
  if (n >= 40) return 'warn';
  if (n >= 30) return 'info';
  return 'debug';
}

const JSON_LEVEL = /"(?:level|severity|lvl|loglevel|log\.level)"\s*:\s*(?:"([A-Za-z]+)"|(\d+))/i;
/**
 * A level word at the start of a line, after an optional timestamp and optional brackets or
 * punctuation: `ERROR …`, `[warn] …`, `2026-12-07 12:00:00 WARNING …`, `INFO:     127.0.0.1 …`
 * (uvicorn). Short forms (`err`, `E1207 …`) are not recognised at the start: too often plain words.
 * `level=error` (logfmt) anywhere.
 */
const PREFIX =
  /^(?:\d{4}-\d\d-\d\d[T ][\d:.,]+(?:Z|[+-]\d\d:?\d\d)?\s+)?(?:\[[^\]]{0,40}\]\s*)?[[(<]?\s*(trace|debug|verbose|info|notice|warn|warning|error|fatal|critical|panic)\b[\])>:]?/i;
const LOGFMT = /(?:^|\s)(?:level|lvl|severity)=["']?([A-Za-z]+)/i;

/**
 * The level of one line: a JSON line's `level` / `severity` (names, or pino's numbers); a
 * logfmt `level=`; a level word at the start (`ERROR`, `[warn]`, `WARNING:`…). A line with none
 * of these is `info` on stdout and `warn` on stderr: stderr is where unmarked stack traces and
 * crash output go, so "warn and above" shows them, yet it is not always an error (many
 * frameworks write every line there), so it is not `error`.
 */
export function detectLevel(message: string, stream: 'stdout' | 'stderr'): LogLevel {
  const head = message.length > 512 ? message.slice(0, 512) : message;
  if (head.trimStart().startsWith('{')) {
    const m = JSON_LEVEL.exec(head);
    if (m) {
      if (m[2] !== undefined) return fromNumber(Number(m[2]));
      const named = NAMES[m[1]!.toLowerCase()];
      if (named) return named;
    }
  }
  const prefix = PREFIX.exec(head);
  if (prefix) return NAMES[prefix[1]!.toLowerCase()] ?? 'info';
  const logfmt = LOGFMT.exec(head);
  if (logfmt) {
    const named = NAMES[logfmt[1]!.toLowerCase()];
    if (named) return named;
  }
  return stream === 'stderr' ? 'warn' : 'info';
}
