export { createMemorySourceTree, isInside, joinPath, normalizeRepoPath, relativeTo, type SourceTree } from './source-tree';
export { SLIPWAY_KEYS, SLIPWAY_YAML, slipwayConfigSchema, type SlipwayConfig } from './slipway-yaml.schema';
export {
  formatSlipwayYamlErrors,
  parseSlipwayYaml,
  SLIPWAY_YAML_MAX_BYTES,
  type SlipwayYamlError,
  type SlipwayYamlResult,
} from './slipway-yaml';
export { ALLOWED_CAPABILITIES, LINUX_CAPABILITIES, type AllowedCapability, type LinuxCapability } from './capabilities';
export {
  detectRecipe,
  STATIC_ROOTS,
  type BuildableRecipe,
  type DockerfileRecipe,
  type GeneratedRecipe,
  type NodeRecipe,
  type NoRecipe,
  type NpmLockfile,
  type Recipe,
  type StaticRecipe,
} from './detect';
export {
  APP_UID,
  GENERATED_DOCKERFILE_NAME,
  STATIC_SITE_DIR,
  generateDockerfile,
  generateDockerignore,
  type BaseImages,
  type DockerfileOptions,
} from './dockerfile';
export { buildCacheKey, RECIPE_VERSION, type CacheKeyInput } from './cache-key';
export { createRedactor, MIN_SECRET_LENGTH, REDACTED, type Redactor } from './redact';
