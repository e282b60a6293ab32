import type { TenantScope } from '@slipway/contracts';
import { SupersededAttemptError } from '@slipway/errors';
import { createRedactor, withholdAll, type Redactor, type SecretsService } from '@slipway/secrets';
import { readEnvVarVersions } from './release-runtime';

/**
 * What a failed deployment stores and streams (its reason, its containers' last lines) is
 * redacted of every secret the containers could print: the versions the release pinned (a secret
 * rotated since is still hidden), today's values, and the secrets injected besides the variables
 * (the environment's gateway key), in every encoded form `createRedactor` knows. If the values
 * cannot be read the text is withheld (fail closed), never stored raw.
 */
export async function deployLogRedactor(
  secrets: Pick<SecretsService, 'secretValues' | 'secretValuesAt'>,
  scope: TenantScope,
  deployment: { id: string; environmentId: string; envVarVersions: unknown },
  injectedSecrets: readonly string[],
  warn: (message: string) => void,
): Promise<Redactor> {
  try {
    const [pinned, today] = await Promise.all([
      secrets.secretValuesAt(scope, deployment.environmentId, readEnvVarVersions(deployment.envVarVersions)),
      secrets.secretValues(scope, deployment.environmentId),
    ]);
    return createRedactor([...injectedSecrets, ...pinned, ...today]);
  } catch (err) {
    if (err instanceof SupersededAttemptError) throw err;
    warn(
      `deployment ${deployment.id}: secret values unreadable, its failure text is withheld: ${err instanceof Error ? err.message : String(err)}`,
    );
    return withholdAll;
  }
}

/** The secret values of the gateway settings: those the port names, and any `*_API_KEY` variable it sets. */
export function injectedSecretsOf(gateway: { env: Record<string, string>; secrets?: string[] }): string[] {
  return [...(gateway.secrets ?? []), ...Object.entries(gateway.env).flatMap(([key, value]) => (/_API_KEY$/.test(key) ? [value] : []))];
}
