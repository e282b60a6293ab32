import { z } from 'zod';
import { isoDateSchema } from './common';
import { WORK_STATUSES } from './work-status';

/** How a release was built, as the push printed it (builder, Node version, install/build/start and why). */
export const buildPlanSchema = z.object({
  rows: z.array(z.object({ label: z.string(), value: z.string() })),
  warnings: z.array(z.string()),
});
export type BuildPlanDto = z.infer<typeof buildPlanSchema>;

export const releaseSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  commitSha: z.string(),
  authorName: z.string(),
  message: z.string(),
  live: z.boolean(),
  /** True once image retention removed its image (RELEASE_IMAGES_KEEP): it can no longer be rolled back to. */
  imageRemoved: z.boolean(),
  /** Null for releases made before build plans were recorded. */
  buildPlan: buildPlanSchema.nullable(),
  createdAt: isoDateSchema,
});
export type ReleaseDto = z.infer<typeof releaseSchema>;

export const DEPLOYMENT_STATUSES = WORK_STATUSES;
export const deploymentSchema = z.object({
  id: z.string(),
  kind: z.enum(['DEPLOY', 'ROLLBACK', 'REDEPLOY']),
  status: z.enum(DEPLOYMENT_STATUSES),
  releaseId: z.string(),
  releaseNumber: z.number().int(),
  /** The release's commit and message, for lists. */
  commitSha: z.string(),
  message: z.string(),
  failureReason: z.string().nullable(),
  /** Why it was queued when not by hand: an automatic rollback names the verdict that caused it. */
  reason: z.string().nullable(),
  /** Queued by the platform (an automatic rollback on a faulty verdict), not by a person or a push. */
  automatic: z.boolean(),
  queuedAt: isoDateSchema,
  startedAt: isoDateSchema.nullable(),
  finishedAt: isoDateSchema.nullable(),
  /** From start to finish (or to now while running); null before it starts. */
  durationMs: z.number().int().nullable(),
});
export type DeploymentDto = z.infer<typeof deploymentSchema>;

export const rollbackInputSchema = z.object({ releaseId: z.string().min(1) });
export type RollbackInput = z.infer<typeof rollbackInputSchema>;

export const deploymentEventSchema = z.object({
  at: isoDateSchema,
  step: z.string(),
  message: z.string(),
  level: z.enum(['info', 'warn', 'error']),
});
export type DeploymentEventDto = z.infer<typeof deploymentEventSchema>;

/** One deployment with its timeline and, when a new replica failed, that container's last lines. */
export const deploymentDetailSchema = deploymentSchema.extend({
  environment: z.string(),
  /** The build that made the release (its log is at `…/builds/:buildId`). */
  buildId: z.string().nullable(),
  events: z.array(deploymentEventSchema),
  failedReplicaLogs: z.string().nullable(),
});
export type DeploymentDetailDto = z.infer<typeof deploymentDetailSchema>;
