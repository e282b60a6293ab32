import { cutLine, unixSeconds, type TimestampedLogLine } from '@slipway/docker';
import { detectLevel } from './log-level';
import type { LogCursor, LogLineInput } from './logs-storage.repository';

type Cursor = Pick<LogCursor, 'lastTimestamp' | 'linesAtLast'>;

/** Room for the cut note when a huge line is trimmed before redaction (as build logs do). */
const NOTE_CHARS = 1024;

/** Docker trims trailing zeros of nanoseconds, so its timestamps compare as text only once padded. */
const orderKey = (timestamp: string): string => unixSeconds(timestamp).padStart(21, '0');

export interface NewLines {
  /** Lines not stored yet, oldest first, at most `maxLines`. */
  lines: TimestampedLogLine[];
  /** The cursor after them (unchanged when there are none). */
  next: Cursor | undefined;
  /** More new lines than `maxLines` were read: the rest is for the next pass. */
  more: boolean;
}

/**
 * The lines of a `since` read that are new: Docker's `since` includes the line at exactly the
 * cursor's timestamp, so the first `linesAtLast` lines carrying it (stored already, in the same
 * order) are skipped. Lines older than the cursor (never expected) are skipped too.
 */
export function newLines(read: readonly TimestampedLogLine[], cursor: Cursor | undefined, maxLines: number): NewLines {
  const lastKey = cursor ? orderKey(cursor.lastTimestamp) : '';
  let toSkip = cursor?.linesAtLast ?? 0;
  const lines: TimestampedLogLine[] = [];
  let more = false;
  for (const line of read) {
    const key = orderKey(line.timestamp);
    if (cursor && key < lastKey) continue;
    if (cursor && key === lastKey && toSkip > 0) {
      toSkip--;
      continue;
    }
    if (lines.length === maxLines) {
      more = true;
      break;
    }
    lines.push(line);
  }
  const last = lines.at(-1);
  if (!last) return { lines, next: cursor, more };
  const lastLineKey = orderKey(last.timestamp);
  let atLast = 0;
  for (let i = lines.length - 1; i >= 0 && orderKey(lines[i]!.timestamp) === lastLineKey; i--) atLast++;
  if (cursor && lastLineKey === lastKey) atLast += cursor.linesAtLast;
  return { lines, next: { lastTimestamp: last.timestamp, linesAtLast: atLast }, more };
}

/**
 * A line as stored: redacted first (a huge line is trimmed to twice the limit beforehand, so
 * redaction stays cheap), then cut to `maxChars` with a note, then its level.
 */
export function prepareLine(line: TimestampedLogLine, redact: (text: string) => string, maxChars: number): LogLineInput {
  const room = 2 * maxChars + NOTE_CHARS;
  const head = line.text.length > room ? line.text.slice(0, room) : line.text;
  const message = cutLine(redact(head), line.text.length - head.length, maxChars, 'LOGS_LINE_MAX_CHARS');
  return { at: line.timestamp, stream: line.stream, level: detectLevel(message, line.stream), message };
}

/** Bytes a line costs against LOGS_MAX_BYTES_PER_MINUTE. */
export const lineBytes = (line: LogLineInput): number => Buffer.byteLength(line.message, 'utf8');

/**
 * The lines that fit in `allowedBytes` (oldest first, stopping at the first that does not),
 * and, when some do not, one line after them saying how many were dropped and why.
 */
export function fitBudget(lines: readonly LogLineInput[], allowedBytes: number, maxBytesPerMinute: number): LogLineInput[] {
  let used = 0;
  let kept = 0;
  for (const line of lines) {
    const bytes = lineBytes(line);
    if (used + bytes > allowedBytes) break;
    used += bytes;
    kept++;
  }
  if (kept === lines.length) return [...lines];
  const dropped = lines.slice(kept);
  const droppedBytes = dropped.reduce((sum, l) => sum + lineBytes(l), 0);
  const note: LogLineInput = {
    at: dropped[0]!.at,
    stream: 'stderr',
    level: 'warn',
    message: `[slipway] ${dropped.length.toLocaleString('en-US')} lines (${droppedBytes.toLocaleString('en-US')} bytes) of this replica were dropped: the environment wrote more than ${maxBytesPerMinute.toLocaleString('en-US')} bytes of logs this minute (LOGS_MAX_BYTES_PER_MINUTE).`,
  };
  return [...lines.slice(0, kept), note];
}
