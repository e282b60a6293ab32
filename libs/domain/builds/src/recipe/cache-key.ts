import { createHash } from 'node:crypto';
import { AppError } from '@slipway/errors';
import type { BuildableRecipe } from './detect';
import type { BaseImages } from './dockerfile';
import type { SlipwayConfig } from './slipway-yaml.schema';

/**
 * Bump when generated Dockerfiles or the meaning of a recipe change, so images built by an
 * older Slipway are not reused for a recipe that would now build differently.
 */
export const RECIPE_VERSION = 2;

export interface CacheKeyInput {
  /** Full commit id (40 or 64 hex digits). */
  commitSha: string;
  recipe: BuildableRecipe;
  config: SlipwayConfig;
  baseImages: BaseImages;
  /** The port given to generateDockerfile, when it is not `config.run.port` (a platform default). */
  port?: number;
}

/**
 * sha256 hex over everything that goes into the image: the commit, the recipe, the `build`
 * and `run` sections of slipway.yaml, the base image names and RECIPE_VERSION. Settings that
 * only affect how the image runs (health check, resources, capabilities, gateway) are left
 * out, so changing them reuses the image. Object keys are sorted, so the key does not depend
 * on the order settings were written in.
 *
 * Limitation: base images count by name, not content; a tag moved to a new image (`node:20`
 * after an update) keeps the key. Include the resolved image id in `baseImages` to catch that.
 */
export function buildCacheKey(input: CacheKeyInput): string {
  const commitSha = input.commitSha.toLowerCase();
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(commitSha)) throw new AppError('INTERNAL', `"${input.commitSha}" is not a full commit id.`);
  const { warnings: _warnings, ...recipe } = input.recipe;
  const material = {
    v: RECIPE_VERSION,
    commitSha,
    recipe,
    build: input.config.build ?? {},
    run: input.config.run ?? {},
    baseImages: input.baseImages,
    port: input.port ?? null,
  };
  return createHash('sha256').update(canonicalJson(material)).digest('hex');
}

/** JSON with object keys sorted at every level and `undefined` members dropped. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
