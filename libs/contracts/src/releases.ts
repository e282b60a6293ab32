import { z } from 'zod';
import { isoDateSchema } from './common';

export const releaseSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  commitSha: z.string(),
  authorName: z.string(),
  message: z.string(),
  live: z.boolean(),
  createdAt: isoDateSchema,
});
export type ReleaseDto = z.infer<typeof releaseSchema>;

export const DEPLOYMENT_STATUSES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const deploymentSchema = z.object({
  id: z.string(),
  kind: z.enum(['DEPLOY', 'ROLLBACK', 'REDEPLOY']),
  status: z.enum(DEPLOYMENT_STATUSES),
  releaseId: z.string(),
  releaseNumber: z.number().int(),
  failureReason: z.string().nullable(),
  queuedAt: isoDateSchema,
  finishedAt: isoDateSchema.nullable(),
});
export type DeploymentDto = z.infer<typeof deploymentSchema>;

export const rollbackInputSchema = z.object({ releaseId: z.string().min(1) });
export type RollbackInput = z.infer<typeof rollbackInputSchema>;
