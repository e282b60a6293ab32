import { z } from 'zod';
import { marketplaceUsageEventSchema, type MarketplaceUsageEvent } from '@slipway/contracts';
import { marketplaceUsageEntryEvents, type StreamEntry } from '@slipway/redis';

const INT4_MAX = 2_147_483_647;
// PostgreSQL text cannot hold NUL: an event it would refuse is caught here, or it would fail its
// whole batch again and again and block the stream.
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'contains NUL');

/** The contract's event, narrowed to what the ApiUsageEvent columns hold. */
const storableEventSchema = marketplaceUsageEventSchema.extend({
  time: z.iso.datetime({ offset: true }),
  listingId: text(64),
  subscriptionId: text(64),
  consumerId: text(64),
  keyId: text(64),
  planVersionId: text(64),
  method: text(16),
  operation: text(256),
  weight: z.number().int().min(1).max(INT4_MAX),
  status: z.number().int().min(100).max(999),
  durationMs: z.number().nonnegative().max(86_400_000),
  releaseId: text(64),
});

export interface ParsedUsageEntry {
  events: MarketplaceUsageEvent[];
  /** Why the rest of the entry cannot be stored (each is logged; the entry is acknowledged anyway). */
  problems: string[];
}

/** One stream entry → its storable events, and why the others cannot be stored. */
export function parseMarketplaceUsageEntry(entry: StreamEntry): ParsedUsageEntry {
  const { events: raw, problem } = marketplaceUsageEntryEvents(entry);
  const out: ParsedUsageEntry = { events: [], problems: problem ? [problem] : [] };
  raw.forEach((value, i) => {
    const parsed = storableEventSchema.safeParse(value);
    if (parsed.success) out.events.push(parsed.data);
    else {
      const id = value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : `#${i}`;
      out.problems.push(`event ${id.slice(0, 64)}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'event'} ${x.message}`).join('; ')}`);
    }
  });
  return out;
}
