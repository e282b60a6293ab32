import {
  bulkEnvVarsInputSchema,
  ENV_VALUE_MAX_BYTES,
  envVarKeySchema,
  upsertEnvVarInputSchema,
  type BulkEnvVarsInput,
  type UpsertEnvVarInput,
} from '@slipway/contracts';
import { validationFailed, type FieldProblem } from '@slipway/errors';
import { parseDotenv, type DotenvEntry } from './dotenv';

const tooLarge = `Values are limited to ${ENV_VALUE_MAX_BYTES / 1024} KiB (UTF-8 bytes).`;
const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Structural, so this lib needs no direct zod dependency. */
interface Issues {
  issues: { path: PropertyKey[]; message: string }[];
}

const problems = (error: Issues, fallbackPath: string): FieldProblem[] =>
  error.issues.map((i) => ({
    path: i.path.length > 0 ? i.path.map(String).join('.') : fallbackPath,
    message: i.message,
  }));

/** Validates one `set`: the key, the body, and the value's size in bytes (not characters). */
export function validateSetInput(key: string, input: UpsertEnvVarInput): { key: string; value: string; secret: boolean } {
  const found: FieldProblem[] = [];
  const parsedKey = envVarKeySchema.safeParse(key);
  if (!parsedKey.success) found.push(...problems(parsedKey.error, 'key').map((p) => ({ ...p, path: 'key' })));
  const parsed = upsertEnvVarInputSchema.safeParse(input);
  if (!parsed.success) found.push(...problems(parsed.error, 'value'));
  if (parsed.success && byteLength(parsed.data.value) > ENV_VALUE_MAX_BYTES) found.push({ path: 'value', message: tooLarge });
  if (found.length > 0 || !parsed.success) throw validationFailed(found);
  return { key, value: parsed.data.value, secret: parsed.data.secret };
}

/**
 * Parses and validates a bulk import. Any bad line fails the whole import, listing every
 * bad line as `line N`, so nothing is half-imported.
 */
export function validateBulkInput(input: BulkEnvVarsInput): {
  entries: DotenvEntry[];
  secret: boolean;
} {
  const parsed = bulkEnvVarsInputSchema.safeParse(input);
  if (!parsed.success) throw validationFailed(problems(parsed.error, 'dotenv'));
  const { entries, errors } = parseDotenv(parsed.data.dotenv);
  const found = errors.map((e) => ({ line: e.line, message: e.message }));
  for (const entry of entries) {
    if (byteLength(entry.value) > ENV_VALUE_MAX_BYTES) found.push({ line: entry.line, message: `${entry.key}: ${tooLarge}` });
    else if (parsed.data.secret && entry.value === '')
      found.push({
        line: entry.line,
        message: `${entry.key}: A secret cannot be empty.`,
      });
  }
  if (found.length > 0) {
    found.sort((a, b) => a.line - b.line);
    throw validationFailed(found.map((f) => ({ path: `line ${f.line}`, message: f.message })));
  }
  if (entries.length === 0) throw validationFailed([{ path: 'dotenv', message: 'Paste at least one KEY=value line.' }]);
  return { entries, secret: parsed.data.secret };
}
