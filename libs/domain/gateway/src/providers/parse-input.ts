import type { z } from 'zod';
import { fieldProblems, validationFailed } from '@slipway/errors';

/**
 * Parses a service input with its contract schema. Controllers already validated it; this is
 * for other callers, and answers 400 with every problem (a thrown ZodError would be a 500).
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: unknown): z.output<S> {
  const result = schema.safeParse(raw);
  if (!result.success) throw validationFailed(fieldProblems(result.error.issues));
  return result.data;
}
