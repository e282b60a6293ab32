import { SLIPWAY_YAML, type SlipwayConfig } from './slipway-yaml.schema';
import { readPackageJson } from './package-json';
import { planPackageJsonApp, type NodePlan, type NodeToolchain } from './node-plan';
import { isInside, joinPath, normalizeRepoPath, relativeTo, type SourceTree } from './source-tree';

/**
 * How a commit becomes an image. Every path is POSIX; `context` is relative to the repository
 * root and is the folder to send to Docker; paths inside a recipe are relative to `context`
 * unless named otherwise.
 */
export interface DockerfileRecipe {
  kind: 'dockerfile';
  context: string;
  /** The Dockerfile, relative to the repository root (as written in slipway.yaml). */
  dockerfile: string;
  /** The same file relative to `context`: what Docker's build API takes. */
  dockerfileInContext: string;
  buildArgs: Record<string, string>;
  warnings: string[];
}

/** A package.json app built with its package manager and started as a Node process. */
export interface NodeRecipe extends NodePlan {
  context: string;
}

export interface StaticRecipe {
  kind: 'static';
  context: string;
  /** Folder holding index.html, relative to `context`: committed (`.`, `public`, `dist`) or built (`dist`, `build`, `out`…). */
  root: string;
  /** Unknown paths answer index.html (single-page apps) instead of 404. */
  spa: boolean;
  framework: string | null;
  /** How the site is built; null for committed files served as they are. */
  toolchain: NodeToolchain | null;
  warnings: string[];
}

export interface NoRecipe {
  kind: 'none';
  /** What is missing or wrong and how to fix it; shown to the user as the build's failure. */
  reason: string;
}

export type GeneratedRecipe = NodeRecipe | StaticRecipe;
export type BuildableRecipe = DockerfileRecipe | GeneratedRecipe;
export type Recipe = BuildableRecipe | NoRecipe;

/** Where a static site's index.html is looked for, in this order (relative to the context). */
export const STATIC_ROOTS = ['.', 'public', 'dist'] as const;

/**
 * Decides how to build a commit. Order: the Dockerfile named by `build.dockerfile`, else
 * `<context>/Dockerfile`; else a package.json app (planned by `planPackageJsonApp`: a Node
 * server, or a site its build produces); else a committed static site (index.html in the
 * context, then `public/`, then `dist/`); else `none` with a reason that says how to fix it.
 *
 * Problems in the repository's content (malformed package.json, a missing Dockerfile named in
 * slipway.yaml, an unknown package manager) are `none` with a reason naming the file: they fail
 * the build, never retry it. Only the SourceTree's own I/O errors are thrown.
 */
export async function detectRecipe(tree: SourceTree, config: SlipwayConfig): Promise<Recipe> {
  const context = normalizeRepoPath(config.build?.context ?? '.') ?? '.';
  const where = context === '.' ? 'at the repository root' : `in ${context}/`;
  if (context !== '.' && !(await tree.exists(context))) {
    return none(`build.context in ${SLIPWAY_YAML} is "${context}", which is not a folder in this commit. Fix the path or remove the key.`);
  }

  const dockerfile = await findDockerfile(tree, config, context);
  if (dockerfile) return dockerfile;

  const pkg = await readPackageJson(tree, joinPath(context, 'package.json'));
  if (pkg.kind === 'invalid') return none(pkg.reason);
  let noStart: string | null = null;
  if (pkg.kind === 'found') {
    const plan = await planPackageJsonApp(tree, context, pkg.manifest, config);
    if (plan.kind === 'none') return none(plan.reason);
    if (plan.kind === 'node') return { ...plan, context };
    if (plan.kind === 'static') {
      const { root, spa, framework, toolchain, warnings } = plan;
      return { kind: 'static', context, root, spa, framework, toolchain, warnings };
    }
    noStart = plan.reason;
  }

  for (const root of STATIC_ROOTS) {
    const index = joinPath(joinPath(context, root), 'index.html');
    if ((await tree.readFile(index)) !== null) return { kind: 'static', context, root, spa: false, framework: null, toolchain: null, warnings: [] };
  }

  if (noStart) return none(noStart);
  return none(
    `Nothing to build ${where}: no Dockerfile, no package.json, no index.html. ` +
      'Add a Dockerfile, a package.json with a "start" script (e.g. "start": "node server.js"), or an index.html ' +
      `(${where}, or in public/ or dist/ there). To use a Dockerfile elsewhere, set build.dockerfile in ${SLIPWAY_YAML}.`,
  );
}

async function findDockerfile(tree: SourceTree, config: SlipwayConfig, context: string): Promise<DockerfileRecipe | NoRecipe | null> {
  const configured = config.build?.dockerfile;
  const path = configured ?? joinPath(context, 'Dockerfile');
  if (configured && !isInside(configured, context)) {
    return none(
      `build.dockerfile "${configured}" is outside build.context "${context}" in ${SLIPWAY_YAML}; Docker only sees the context folder.`,
    );
  }
  if ((await tree.readFile(path)) === null) {
    if (!configured) return null;
    const what = (await tree.exists(configured)) ? 'is a folder, not a file' : 'does not exist in this commit';
    return none(
      `build.dockerfile in ${SLIPWAY_YAML} is "${configured}", which ${what}. Fix the path, or remove the key to detect the app.`,
    );
  }
  return {
    kind: 'dockerfile',
    context,
    dockerfile: path,
    dockerfileInContext: relativeTo(path, context),
    buildArgs: { ...config.build?.args },
    warnings: [],
  };
}

const none = (reason: string): NoRecipe => ({ kind: 'none', reason });
