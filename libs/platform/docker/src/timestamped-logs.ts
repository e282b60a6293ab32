import type { TimestampedLogLine } from './container-runtime';

/**
 * Splits a multiplexed logs body asked for with `timestamps: true` into lines with their
 * stream and timestamp (each line starts with Docker's RFC 3339 nanosecond timestamp and a
 * space). A frame may end inside a line: the rest is joined per stream. A TTY container's
 * body (no frame headers) counts as stdout.
 */
export function demuxTimestampedLines(body: Buffer): TimestampedLogLine[] {
  const lines: TimestampedLogLine[] = [];
  const partial: Record<1 | 2, string> = { 1: '', 2: '' };
  const push = (type: 1 | 2, raw: string) => {
    const space = raw.indexOf(' ');
    const timestamp = space > 0 ? raw.slice(0, space) : raw;
    if (!/^\d{4}-\d\d-\d\dT/.test(timestamp)) return; // not a line of the engine's (never expected)
    lines.push({ stream: type === 1 ? 'stdout' : 'stderr', timestamp, text: (space > 0 ? raw.slice(space + 1) : '').replace(/\r$/, '') });
  };
  let offset = 0;
  while (offset + 8 <= body.length) {
    const type = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 4);
    if ((type !== 1 && type !== 2) || offset + 8 + length > body.length) break;
    const parts = (partial[type] + body.subarray(offset + 8, offset + 8 + length).toString('utf8')).split('\n');
    partial[type] = parts.pop() ?? '';
    for (const part of parts) push(type, part);
    offset += 8 + length;
  }
  if (offset === 0 && body.length > 0) {
    for (const part of body.toString('utf8').split('\n')) if (part) push(1, part);
    return lines;
  }
  for (const type of [1, 2] as const) if (partial[type]) push(type, partial[type]);
  return lines;
}

/**
 * Docker's RFC 3339 timestamp (`2026-12-07T14:40:09.123456789Z`) as the Unix seconds with nine
 * decimals its API takes for `since`, keeping every nanosecond (a Date would keep milliseconds).
 */
export function unixSeconds(timestamp: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(timestamp);
  if (!m) throw new Error(`not a Docker timestamp: ${timestamp}`);
  const seconds = Date.parse(`${m[1]}${m[3]}`) / 1000;
  return `${seconds}.${(m[2] ?? '').padEnd(9, '0')}`;
}
