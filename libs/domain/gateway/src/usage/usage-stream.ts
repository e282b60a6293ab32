/** Overrides the stream name for the recorder and the consumer (tests use one of their own). */
export const USAGE_STREAM_KEY = Symbol('USAGE_STREAM_KEY');
/**
 * A stream entry carries a batch: field `events`, a JSON array of UsageEvents (one XADD per
 * request cost the api ≈70 µs of CPU per call, a batch a fraction of it).
 */
export const USAGE_EVENTS_FIELD = 'events';
/** Events per stream entry. */
export const EVENTS_PER_ENTRY = 100;
/** Approximate cap on the stream in entries (XADD MAXLEN ~, ≤ 2M events): Redis cannot grow without bound while no worker reads. */
export const USAGE_STREAM_MAXLEN = 20_000;
/** The consumer group every worker joins: each entry goes to one worker. */
export const USAGE_CONSUMER_GROUP = 'usage-writers';
