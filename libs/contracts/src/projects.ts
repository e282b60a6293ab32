import { z } from 'zod';
import { isoDateSchema, nameSchema, slugSchema } from './common';

export const environmentNameSchema = slugSchema;

/**
 * A slug that becomes part of a generated host name: `--` separates the project's label from the
 * environment's name there (see appHostName), so new project slugs and environment names never
 * contain it. Existing ones stay valid (paths and responses use slugSchema).
 */
export const hostPartSlugSchema = slugSchema.refine((s) => !s.includes('--'), 'Use single hyphens: "--" separates the project and the environment in app host names.');
/** A git branch name, as git check-ref-format allows (conservative subset). */
export const branchSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^(?!\/|.*\/$|.*\.\.|.*\/\/|.*@\{)[A-Za-z0-9._/-]+$/, 'Enter a valid git branch name.')
  .refine((b) => !b.endsWith('.lock') && !b.startsWith('-'), 'Enter a valid git branch name.');
export const healthCheckPathSchema = z
  .string()
  .max(200)
  .regex(/^\/[^\s]*$/, 'Start the path with / and use no spaces.');

export const resourcesSchema = z.object({
  memoryMb: z.number().int().min(64, 'At least 64 MB.').max(65536),
  cpuMillis: z.number().int().min(50, 'At least 50 millicores.').max(64000),
  replicas: z.number().int().min(1).max(20),
});
export type Resources = z.infer<typeof resourcesSchema>;
export const DEFAULT_RESOURCES: Resources = { memoryMb: 512, cpuMillis: 500, replicas: 1 };

export const environmentSchema = z.object({
  id: z.string(),
  name: environmentNameSchema,
  branch: z.string(),
  memoryMb: z.number(),
  cpuMillis: z.number(),
  replicas: z.number(),
  healthCheckPath: z.string(),
  /** Roll back to the previous release when a release's verdict turns faulty (off by default). */
  autoRollback: z.boolean(),
  url: z.string(),
  /** Why the URL is not the usual one (renamed when host names became unique), or null. */
  urlNote: z.string().nullable(),
  createdAt: isoDateSchema,
});
export type EnvironmentDto = z.infer<typeof environmentSchema>;

export const createEnvironmentInputSchema = resourcesSchema.partial().extend({
  name: hostPartSlugSchema,
  branch: branchSchema,
  healthCheckPath: healthCheckPathSchema.default('/'),
});
export type CreateEnvironmentInput = z.input<typeof createEnvironmentInputSchema>;

export const updateEnvironmentInputSchema = resourcesSchema.partial().extend({
  branch: branchSchema.optional(),
  healthCheckPath: healthCheckPathSchema.optional(),
  autoRollback: z.boolean().optional(),
});
export type UpdateEnvironmentInput = z.infer<typeof updateEnvironmentInputSchema>;

export const projectSchema = z.object({
  id: z.string(),
  slug: slugSchema,
  name: z.string(),
  gitRemoteUrl: z.string(),
  createdAt: isoDateSchema,
  environments: z.array(environmentSchema),
});
export type ProjectDto = z.infer<typeof projectSchema>;

export const projectSummarySchema = projectSchema.omit({ environments: true }).extend({
  environmentCount: z.number().int(),
});
export type ProjectSummaryDto = z.infer<typeof projectSummarySchema>;

export const createProjectInputSchema = z.object({ name: nameSchema, slug: hostPartSlugSchema.optional() });
export type CreateProjectInput = z.infer<typeof createProjectInputSchema>;
