import { z } from 'zod';
import { isoDateSchema } from './common';

/**
 * App traffic of one environment as the observability page charts it: one shared time axis
 * and, per release, one value per slot (columnar, as uPlot takes it). Counts come from the
 * edge (every request it proxied); percentiles are estimated from merged latency histograms.
 */

/** Most points a caller may ask for (~2 per pixel of a wide chart). */
export const TRAFFIC_MAX_POINTS = 2_000;
/** Longest range one query may cover. */
export const TRAFFIC_MAX_RANGE_DAYS = 400;

const instantSchema = z.iso.datetime({ offset: true, message: 'Use an ISO 8601 date-time with a time zone, e.g. 2026-12-07T12:00:00Z.' });

export const trafficQuerySchema = z.object({
  from: instantSchema,
  /** Default: now (a range ending now is "live"). */
  to: instantSchema.optional(),
  /** Most points per series (the chart's width in pixels × ~2); the server downsamples to fit. */
  points: z.coerce
    .number()
    .int()
    .min(10, 'Ask for at least 10 points.')
    .max(TRAFFIC_MAX_POINTS, `Ask for at most ${TRAFFIC_MAX_POINTS} points.`)
    .default(600),
});
export type TrafficQuery = z.infer<typeof trafficQuerySchema>;

/** Where a series was read from: edge flushes (~10 s), 1-minute or 1-hour rollups. */
export const TRAFFIC_RESOLUTIONS = ['raw', 'minute', 'hour'] as const;
export type TrafficResolution = (typeof TRAFFIC_RESOLUTIONS)[number];

const nullableNumbers = z.array(z.number().nullable());

export const releaseTrafficSchema = z.object({
  releaseId: z.string(),
  /** The release's number in its environment (v12); null if the release was deleted since. */
  number: z.number().int().nullable(),
  /** Per slot, aligned with `time`. */
  requests: z.array(z.number().int()),
  requestsPerSecond: z.array(z.number()),
  /** Share of the slot's requests answered 4xx / 5xx (0…1); null when the slot had none. */
  rate4xx: nullableNumbers,
  rate5xx: nullableNumbers,
  /** Latency percentiles in ms, interpolated within the histogram bucket; null when the slot had no requests. */
  p50Ms: nullableNumbers,
  p95Ms: nullableNumbers,
  p99Ms: nullableNumbers,
  /** Over the whole range. */
  totals: z.object({
    requests: z.number().int(),
    status4xx: z.number().int(),
    status5xx: z.number().int(),
    p50Ms: z.number().nullable(),
    p95Ms: z.number().nullable(),
    p99Ms: z.number().nullable(),
  }),
});
export type ReleaseTrafficDto = z.infer<typeof releaseTrafficSchema>;

export const environmentTrafficSchema = z.object({
  from: isoDateSchema,
  to: isoDateSchema,
  resolution: z.enum(TRAFFIC_RESOLUTIONS),
  /** Width of one slot. */
  stepSeconds: z.number().int(),
  /** Start of each slot, in Unix seconds (UTC); at most `points` entries. */
  time: z.array(z.number().int()),
  /** Releases that served traffic in the range, oldest first. */
  releases: z.array(releaseTrafficSchema),
});
export type EnvironmentTrafficDto = z.infer<typeof environmentTrafficSchema>;
