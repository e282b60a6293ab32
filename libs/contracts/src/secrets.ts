import { z } from 'zod';
import { isoDateSchema } from './common';

/** POSIX-ish environment variable names, as shells and Docker accept them. */
export const envVarKeySchema = z
  .string()
  .max(256, 'Use at most 256 characters.')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Use letters, digits and underscores, not starting with a digit.');

export const ENV_VALUE_MAX_BYTES = 64 * 1024;
export const envVarValueSchema = z
  .string()
  .refine((v) => new TextEncoder().encode(v).length <= ENV_VALUE_MAX_BYTES, 'Values are limited to 64 KiB.');

export const upsertEnvVarInputSchema = z
  .object({ value: envVarValueSchema, secret: z.boolean().default(false) })
  .refine((v) => !v.secret || v.value.length > 0, { message: 'A secret cannot be empty.', path: ['value'] });
export type UpsertEnvVarInput = z.input<typeof upsertEnvVarInputSchema>;

export const bulkEnvVarsInputSchema = z.object({
  dotenv: z.string().max(512 * 1024, 'Paste at most 512 KiB.'),
  secret: z.boolean().default(false),
});
export type BulkEnvVarsInput = z.input<typeof bulkEnvVarsInputSchema>;

export const MASK = '••••••••';
export const envVarSchema = z.object({
  key: z.string(),
  secret: z.boolean(),
  /** Plain variables carry their value; secrets carry MASK unless revealed. */
  value: z.string(),
  version: z.number().int(),
  updatedAt: isoDateSchema,
  updatedBy: z.string().nullable(),
});
export type EnvVarDto = z.infer<typeof envVarSchema>;

export const envVarVersionSchema = z.object({
  version: z.number().int(),
  secret: z.boolean(),
  deleted: z.boolean(),
  createdAt: isoDateSchema,
  createdBy: z.string().nullable(),
});
export type EnvVarVersionDto = z.infer<typeof envVarVersionSchema>;

export const revealedEnvVarSchema = z.object({ key: z.string(), value: z.string(), version: z.number().int() });
export type RevealedEnvVarDto = z.infer<typeof revealedEnvVarSchema>;

export const bulkResultSchema = z.object({ created: z.number().int(), updated: z.number().int(), unchanged: z.number().int() });
export type BulkResultDto = z.infer<typeof bulkResultSchema>;
