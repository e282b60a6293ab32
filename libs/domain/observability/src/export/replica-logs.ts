import type { OtlpLogRecord, OtlpResource, OtlpScope } from '@slipway/otlp';

/**
 * One line a replica wrote, as the log collection keeps it (already redacted there). The real
 * source is the replica-log table of the logs part; the export only needs this much.
 */
export interface ReplicaLogLine {
  projectId: string;
  environmentId: string;
  releaseId: string;
  /** The replica (container) that wrote it. */
  replica: string;
  stream: 'stdout' | 'stderr';
  /** The level the collector recognised in the line (`info`, `warn`…), or null. */
  level: string | null;
  at: Date;
  /** When Slipway read the line (OTLP's observed time). */
  collectedAt: Date;
  line: string;
}

/** A page of log lines after a cursor; `cursor` names where the next page starts. */
export interface ReplicaLogPage {
  lines: ReplicaLogLine[];
  cursor: string;
}

/**
 * Where the export reads replica logs from: lines in the order they were stored, after an
 * opaque cursor ('' = from the oldest kept), at most `limit`, of the given organizations only
 * (empty: all). A line is returned after a cursor at most once; the cursor of the last page is
 * where the next pass starts.
 */
export interface ReplicaLogSource {
  after(cursor: string, limit: number, organizationSlugs: readonly string[]): Promise<ReplicaLogPage>;
  /** The cursor before the first line stored at or after `at` (where a first export starts). */
  cursorAt(at: Date): Promise<string>;
}

/** The DI token of the log source; the export skips logs while none is provided. */
export const REPLICA_LOG_SOURCE = Symbol('REPLICA_LOG_SOURCE');

export const LOGS_SCOPE: OtlpScope = { name: 'slipway.replica-logs' };

/** OpenTelemetry's severity numbers: the first of each range (TRACE 1, DEBUG 5, INFO 9, WARN 13, ERROR 17, FATAL 21). */
const SEVERITY: Record<string, { number: number; text: string }> = {
  trace: { number: 1, text: 'TRACE' },
  debug: { number: 5, text: 'DEBUG' },
  info: { number: 9, text: 'INFO' },
  notice: { number: 10, text: 'INFO2' },
  warn: { number: 13, text: 'WARN' },
  warning: { number: 13, text: 'WARN' },
  error: { number: 17, text: 'ERROR' },
  fatal: { number: 21, text: 'FATAL' },
  critical: { number: 21, text: 'FATAL' },
  panic: { number: 21, text: 'FATAL' },
};

/**
 * One line → one OTLP log record, under the resource of its replica (`replicaResource`). A recognised level gives the severity; without one the
 * severity stays unspecified (0) — stderr is not an error stream for most runtimes, so it is
 * said as `log.iostream` (the convention's attribute), never guessed into a level.
 */
export function replicaLogRecord(line: ReplicaLogLine, resource: OtlpResource): OtlpLogRecord {
  const severity = line.level ? SEVERITY[line.level.toLowerCase()] : undefined;
  return {
    resource,
    scope: LOGS_SCOPE,
    timeMs: line.at.getTime(),
    observedMs: line.collectedAt.getTime(),
    severityNumber: severity?.number ?? 0,
    severityText: severity?.text ?? line.level?.toUpperCase(),
    body: line.line,
    attributes: { 'log.iostream': line.stream },
  };
}

/** A release's resource with the replica as `service.instance.id` (the convention's name for one instance of a service). */
export function replicaResource(release: OtlpResource, replica: string): OtlpResource {
  return { ...release, 'service.instance.id': replica };
}
