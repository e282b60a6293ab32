import { z } from 'zod';
import { usageEventSchema, type UsageEvent } from '@slipway/contracts';
import type { StreamEntry } from '@slipway/redis';
import { USAGE_EVENTS_FIELD } from './usage-stream';

const INT4_MAX = 2_147_483_647;
// PostgreSQL text cannot hold NUL; a value it would refuse must be caught here, or one bad
// event would fail its whole batch again and again.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'contains NUL');
const count = z.number().int().min(0).max(INT4_MAX);

/** The contract's event, narrowed to what the GatewayRequest columns can store. */
const storableEventSchema = usageEventSchema.extend({
  id: text(128).min(1),
  at: z.iso.datetime({ offset: true }),
  organizationId: text(64).min(1),
  projectId: text(64).min(1),
  environmentId: text(64).nullable(),
  releaseId: text(64).nullable(),
  keyId: text(64).min(1),
  feature: text(200).nullable(),
  customer: text(200).nullable(),
  modelRequested: text(200),
  modelServed: text(200).nullable(),
  provider: text(100).nullable(),
  status: z.number().int().min(0).max(999),
  errorCategory: text(64).nullable(),
  latencyMs: count,
  ttftMs: count.nullable(),
  inputTokens: count,
  outputTokens: count,
  cacheReadTokens: count,
  cacheWriteTokens: count,
  costMicros: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  retries: count,
  fallbackChain: z.array(text(300)).max(100),
});

/** What a stream entry carries that can be stored, and why the rest cannot. */
export interface ParsedEntry {
  events: UsageEvent[];
  problems: string[];
}

/** One stream entry (a batch in field `events`) → its storable events, and why the rest cannot be stored. */
export function parseUsageEntry(entry: StreamEntry): ParsedEntry {
  if (!entry.fields) return { events: [], problems: ['the entry was trimmed from the stream before it was read'] };
  const raw = entry.fields[USAGE_EVENTS_FIELD];
  if (raw === undefined) return { events: [], problems: [`no "${USAGE_EVENTS_FIELD}" field`] };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { events: [], problems: ['not JSON'] };
  }
  if (!Array.isArray(json)) return { events: [], problems: [`"${USAGE_EVENTS_FIELD}" is not a list`] };
  const parsed: ParsedEntry = { events: [], problems: [] };
  json.forEach((item: unknown, i) => {
    const result = storableEventSchema.safeParse(item);
    if (result.success) parsed.events.push(result.data);
    else parsed.problems.push(`event ${i}: ${result.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`);
  });
  return parsed;
}
