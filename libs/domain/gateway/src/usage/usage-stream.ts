/** Overrides the stream name for the recorder and the consumer (tests use one of their own). */
export const USAGE_STREAM_KEY = Symbol('USAGE_STREAM_KEY');
/** Each stream entry has one field, this one: the UsageEvent as JSON. */
export const USAGE_EVENT_FIELD = 'event';
/** Approximate cap on the stream (XADD MAXLEN ~): Redis cannot grow without bound while no worker reads. */
export const USAGE_STREAM_MAXLEN = 1_000_000;
/** The consumer group every worker joins: each entry goes to one worker. */
export const USAGE_CONSUMER_GROUP = 'usage-writers';
