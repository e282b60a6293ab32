import { z } from 'zod';
import { GATEWAY_CONFIG_KEYS, gatewayConfigSchema, healthCheckPathSchema, resourcesSchema, wholeNumberSchema } from '@slipway/contracts';
import { capabilityProblem, normalizeCapability, type AllowedCapability } from './capabilities';
import { normalizeRepoPath } from './source-tree';

/** The file the build reads at the repository root. */
export const SLIPWAY_YAML = 'slipway.yaml';

/** A key written with no value (`run:`) means the same as leaving the key out. */
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === null ? undefined : v), schema.optional());

const repoPath = (what: string, allowRoot: boolean) =>
  z
    .string({ error: `Give ${what} as a path inside the repository, e.g. ${allowRoot ? 'app' : 'docker/Dockerfile'}.` })
    .max(255, 'Use at most 255 characters.')
    .transform((value, ctx) => {
      const path = normalizeRepoPath(value);
      if (path === null || (!allowRoot && path === '.')) {
        ctx.addIssue({ code: 'custom', message: `Give ${what} as a relative path inside the repository (no leading /, no "..").` });
        return z.NEVER;
      }
      return path;
    });

/** Docker build args are strings; `NODE_VERSION: 20` is written as a number, so scalars are accepted. */
const buildArgValue = z
  .union([z.string(), z.number(), z.boolean()], { error: 'Give a build arg a text or number value.' })
  .transform(String);
const buildArgs = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'Name a build arg with letters, digits and _.'), buildArgValue);

const wholeNumber = wholeNumberSchema;

const command = (key: string) => z.string({ error: `Give ${key} as text.` }).trim().min(1, 'Give a command or remove the key.').max(2000, 'Use at most 2000 characters.');

/** `22`, `22.x`, `>=20`, `lts/jod`: numbers are accepted because YAML reads `node: 22` as one. */
const nodeRequest = z
  .union([z.string(), z.number()], { error: 'Give build.node as a Node version, e.g. 22 or ">=20".' })
  .transform(String)
  .pipe(z.string().trim().min(1, 'Give a version or remove the key.').max(100, 'Use at most 100 characters.'));

const capability = z.string({ error: 'Name a Linux capability, e.g. NET_BIND_SERVICE.' }).transform((value, ctx) => {
  const name = normalizeCapability(value);
  const problem = capabilityProblem(name);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return name as AllowedCapability;
});

/** The same limits as the environment settings (contracts' resourcesSchema), with messages that state them. */
const limitOf = (key: keyof typeof resourcesSchema.shape, unit: string) => {
  const { minValue, maxValue } = resourcesSchema.shape[key];
  return wholeNumber(minValue ?? 1, maxValue ?? Number.MAX_SAFE_INTEGER, unit);
};

export const slipwayConfigSchema = z.strictObject({
  build: optional(
    z.strictObject({
      /** Path of the Dockerfile, relative to the repository root. Default: `<context>/Dockerfile`. */
      dockerfile: optional(repoPath('build.dockerfile', false)),
      /** Folder sent to Docker and searched for the app, relative to the repository root. Default: `.`. */
      context: optional(repoPath('build.context', true)),
      args: optional(buildArgs),
      /** Node version for detected apps: a major (`22`), a range (`>=20`) or an nvm alias. Default: package.json engines, .nvmrc, .node-version, 24. */
      node: optional(nodeRequest),
      /** Replaces the detected dependency install (e.g. `npm ci --legacy-peer-deps`). */
      install: optional(command('build.install')),
      /** Replaces the detected build (default: the package.json "build" script). */
      command: optional(command('build.command')),
    }),
  ),
  run: optional(
    z.strictObject({
      port: optional(wholeNumber(1, 65535)),
      /** Replaces the start command (the image's CMD, or package.json's start script). */
      command: optional(command('run.command')),
    }),
  ),
  healthCheck: optional(
    z.strictObject({
      path: optional(healthCheckPathSchema),
      timeoutSeconds: optional(wholeNumber(1, 600, ' seconds')),
      intervalMs: optional(wholeNumber(100, 60_000, ' ms')),
    }),
  ),
  resources: optional(
    z.strictObject({
      memoryMb: optional(limitOf('memoryMb', ' MB')),
      cpuMillis: optional(limitOf('cpuMillis', ' millicores')),
      replicas: optional(limitOf('replicas', '')),
    }),
  ),
  /** Opt-in Linux capabilities; containers drop all of them otherwise. */
  capabilities: optional(
    z.strictObject({
      add: optional(
        z.array(capability, { error: 'List capabilities, e.g. add: [NET_BIND_SERVICE].' }).transform((names) => [...new Set(names)]),
      ),
    }),
  ),
  /**
   * Routing as code for the model gateway: aliases → routes, budgets, limits (docs/gateway.md).
   * Validated here so a bad section fails the push naming its line, and frozen into the release.
   */
  gateway: optional(gatewayConfigSchema),
});

export type SlipwayConfig = z.output<typeof slipwayConfigSchema>;

/** The keys allowed at each level, used to suggest the right spelling of an unknown key. */
export const SLIPWAY_KEYS = {
  '': ['build', 'run', 'healthCheck', 'resources', 'capabilities', 'gateway'],
  build: ['dockerfile', 'context', 'args', 'node', 'install', 'command'],
  run: ['port', 'command'],
  healthCheck: ['path', 'timeoutSeconds', 'intervalMs'],
  resources: ['memoryMb', 'cpuMillis', 'replicas'],
  capabilities: ['add'],
  // Under gateway, `*` stands for any alias name, list index or catalog key.
  ...Object.fromEntries(Object.entries(GATEWAY_CONFIG_KEYS).map(([path, keys]) => [path ? `gateway.${path}` : 'gateway', keys])),
} as const satisfies Record<string, readonly string[]>;
