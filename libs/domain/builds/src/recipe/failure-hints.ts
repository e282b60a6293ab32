import type { BuildableRecipe } from './detect';
import { STEP_MARK } from './dockerfile';
import type { NodeToolchain } from './node-plan';

/** Known messages of package managers and node-gyp, and what the user should do about them. */
const HINTS: readonly [RegExp, string][] = [
  [/npm (?:error|ERR!) `npm ci` can only install packages when your package\.json and package-lock\.json/, 'package-lock.json is out of sync with package.json (npm explains above). Run npm install, commit package-lock.json and push again.'],
  [/Your lockfile needs to be updated, but yarn was run with `--frozen-lockfile`|The lockfile would have been modified by this install, which is explicitly forbidden/, 'yarn.lock is out of date with package.json. Run yarn install, commit yarn.lock and push again.'],
  [/ERR_PNPM_OUTDATED_LOCKFILE|ERR_PNPM_LOCKFILE_CONFIG_MISMATCH/, 'pnpm-lock.yaml is out of date with package.json. Run pnpm install, commit pnpm-lock.yaml and push again.'],
  [/lockfile had changes, but lockfile is frozen/, 'bun.lock is out of date with package.json. Run bun install, commit the lockfile and push again.'],
  [/gyp ERR!|node-gyp(?:-build)?: (?:not found|command not found)|not found: make|Could not find any Python installation|No usable version of Python/, 'A dependency compiles a native addon (node-gyp), which needs python3, make and g++; the Node base image has no compiler. Use a version of that package with prebuilt binaries, or add a Dockerfile whose build stage installs them (e.g. FROM node:24 then RUN apt-get update && apt-get install -y python3 make g++).'],
  [/ENOTFOUND registry|EAI_AGAIN|ECONNREFUSED.*registry|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT/, 'The package registry could not be reached from the build. If the machine sits behind a TLS-inspecting proxy, point SLIPWAY_BUILD_CA_FILE at its CA bundle; to use another registry, set SLIPWAY_NPM_REGISTRY.'],
];

/**
 * The failure reason shown at the end of the push and in the console: which step of the plan
 * failed (read from the engine's `The command '/bin/sh -c …' returned a non-zero code: N`), the
 * fix for a problem we recognise in the output, and the step's last lines.
 */
export function explainBuildFailure(recipe: BuildableRecipe, dockerError: string, lastLines: readonly string[]): string {
  const failed = /The command '\/bin\/sh -c (.*)' returned a non-zero code: (\d+)/s.exec(dockerError);
  const output = lastLines.join('\n');
  const hint = HINTS.find(([pattern]) => pattern.test(output))?.[1];
  if (!failed || recipe.kind === 'dockerfile') return hint ? `${dockerError} ${hint}` : dockerError;
  const [, command = '', code] = failed;
  const { what, shown } = failedStep(recipe, command, lastLines);
  const tail = lastLines.slice(-8).join('\n');
  return [`${what} failed (${shown}, exit code ${code}).`, hint, tail ? `Last lines:\n${tail}` : undefined].filter(Boolean).join(' ');
}

const STEP_NAMES: Record<string, string> = { build: 'The build', prune: 'Removing devDependencies' };

/**
 * Which step of the plan a failed RUN was: the post-copy RUN announces each of its steps with a
 * `-----> step: command` line (the last one printed is the one that failed); other RUNs are
 * one step each, known by their command.
 */
function failedStep(recipe: Exclude<BuildableRecipe, { kind: 'dockerfile' }>, command: string, lastLines: readonly string[]): { what: string; shown: string } {
  const announced = [...lastLines].reverse().find((line) => line.startsWith(STEP_MARK));
  const step = announced && /^-----> (\w+): (.*)$/.exec(announced);
  if (step && STEP_NAMES[step[1]!]) return { what: STEP_NAMES[step[1]!]!, shown: step[2]! };
  const toolchain: NodeToolchain | null = recipe.kind === 'node' ? recipe : recipe.toolchain;
  const shown = command.replace(/ && rm -rf \S+$/, '');
  if (toolchain?.install && command.startsWith(toolchain.install.command)) return { what: 'Installing dependencies', shown };
  if (toolchain?.setup && command.startsWith(toolchain.setup)) return { what: `Setting up ${toolchain.packageManager.name}`, shown };
  return { what: 'A build step', shown };
}
