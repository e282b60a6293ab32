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
  type Recipe,
  type StaticRecipe,
} from './detect';
export {
  APP_UID,
  GENERATED_CA,
  GENERATED_DIR,
  GENERATED_DOCKERFILE_NAME,
  GENERATED_NGINX_CONF,
  STATIC_SITE_DIR,
  generateDockerfile,
  generateDockerignore,
  type BaseImages,
  type DockerfileOptions,
} from './dockerfile';
export { buildCacheKey, RECIPE_VERSION, type CacheKeyInput } from './cache-key';
export { generateNginxConfig } from './nginx-conf';
export { describePlan, planLines } from './plan-summary';
export { explainBuildFailure } from './failure-hints';
export { SUPPORTED_NODE_MAJORS, DEFAULT_NODE_MAJOR, type NodeMajor, type NodeVersionChoice } from './node-version';
export type { NodePlan, NodeToolchain, PlanStep } from './node-plan';
export type { PackageManagerChoice, PackageManagerName } from './package-manager';
