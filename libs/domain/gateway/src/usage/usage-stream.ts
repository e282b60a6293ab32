/** Overrides the stream name for the recorder and the consumer (tests use one of their own). */
export const USAGE_STREAM_KEY = Symbol('USAGE_STREAM_KEY');
/**
 * A stream entry carries a batch: field `events`, a JSON array of UsageEvents (one XADD per
 * request cost the api ≈70 µs of CPU per call, a batch a fraction of it).
 */
export const USAGE_EVENTS_FIELD = 'events';
/** Events per stream entry. */
export const EVENTS_PER_ENTRY = 100;
/**
 * Default of GATEWAY_USAGE_BACKLOG_MAX_ENTRIES: past this many entries (≤ 2M events) in the
 * stream, new model calls are refused until the worker catches up. The stream is never
 * trimmed by length: the consumer removes only entries every group has acknowledged.
 */
export const DEFAULT_BACKLOG_MAX_ENTRIES = 20_000;
/** The consumer group every worker joins: each entry goes to one worker. */
export const USAGE_CONSUMER_GROUP = 'usage-writers';
