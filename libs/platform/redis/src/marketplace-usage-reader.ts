import { MARKETPLACE_USAGE_FIELD, MARKETPLACE_USAGE_GROUP, MARKETPLACE_USAGE_STREAM } from '@slipway/contracts';
import type { RedisService } from './redis.service';
import { StreamGroupReader, type StreamEntry } from './stream-group';

/**
 * The meter's side of the marketplace usage stream (the edge appends with
 * marketplace-usage-stream.ts): a consumer of group MARKETPLACE_USAGE_GROUP. Entries are read,
 * claimed from dead consumers and acknowledged through StreamGroupReader; what an event must
 * hold is the domain's to check (libs/domain/billing/src/metering).
 */
export function marketplaceUsageReader(redis: RedisService, consumer: string, stream: string = MARKETPLACE_USAGE_STREAM): StreamGroupReader {
  return new StreamGroupReader(redis, { stream, group: MARKETPLACE_USAGE_GROUP, consumer });
}

/** The events of one entry as raw JSON values, or why the entry holds none (trimmed while pending, no field, not a JSON array). */
export function marketplaceUsageEntryEvents(entry: StreamEntry): { events: unknown[]; problem: string | null } {
  if (entry.fields === null) return { events: [], problem: 'the entry was trimmed before it was read' };
  const raw = entry.fields[MARKETPLACE_USAGE_FIELD];
  if (raw === undefined) return { events: [], problem: `no "${MARKETPLACE_USAGE_FIELD}" field` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { events: [], problem: `"${MARKETPLACE_USAGE_FIELD}" is not JSON` };
  }
  if (!Array.isArray(parsed)) return { events: [], problem: `"${MARKETPLACE_USAGE_FIELD}" is not a JSON array` };
  return { events: parsed, problem: null };
}
