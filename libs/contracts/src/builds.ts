import { z } from 'zod';
import { isoDateSchema } from './common';
import { FINAL_STATUSES, WORK_STATUSES } from './work-status';

export const BUILD_STATUSES = WORK_STATUSES;
export const buildStatusSchema = z.enum(BUILD_STATUSES);
export type BuildStatus = z.infer<typeof buildStatusSchema>;

/** A build as the console lists it: what was pushed, how it went and what it produced. */
export const buildSchema = z.object({
  id: z.string(),
  /** Name of the environment the build is for. */
  environment: z.string(),
  status: buildStatusSchema,
  commitSha: z.string(),
  branch: z.string(),
  message: z.string(),
  authorName: z.string(),
  failureReason: z.string().nullable(),
  /** True when the image of an earlier build with the same settings was reused. */
  reusedImage: z.boolean(),
  queuedAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
  /** From start to finish (or to now while running); null before it starts. */
  durationMs: z.number().int().nullable(),
  /** The release a successful build made. */
  releaseNumber: z.number().int().nullable(),
  /** The newest deployment of that release, if any. */
  deploymentId: z.string().nullable(),
});
export type BuildDto = z.infer<typeof buildSchema>;

/**
 * The live build log (`GET …/builds/:buildId/log`) is a `text/event-stream`:
 * `event: line` with `id: <seq>` and data {@link BuildLogLineEvent}; one `event: end` with data
 * {@link BuildLogEndEvent} once the build is final. Reconnecting with `Last-Event-ID: <seq>`
 * resumes after that line.
 */
export const buildLogLineEventSchema = z.object({ seq: z.number().int(), line: z.string() });
export type BuildLogLineEvent = z.infer<typeof buildLogLineEventSchema>;
export const buildLogEndEventSchema = z.object({ status: buildStatusSchema, failureReason: z.string().nullable() });
export type BuildLogEndEvent = z.infer<typeof buildLogEndEventSchema>;

export const FINAL_BUILD_STATUSES: readonly BuildStatus[] = FINAL_STATUSES;

/**
 * Redis pub/sub channel on which the api publishes the id of a RUNNING build a user cancelled.
 * Workers subscribe and abort that build if they run it (QUEUED builds are cancelled in Postgres directly).
 */
export const BUILD_CANCEL_CHANNEL = 'slipway:build-cancel';
