import { SLIPWAY_YAML, type SlipwayConfig } from './slipway-yaml.schema';
import { readPackageJson, type PackageJson } from './package-json';
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

export type NpmLockfile = 'package-lock.json' | 'npm-shrinkwrap.json';

export interface NodeRecipe {
  kind: 'node';
  context: string;
  /** Shell command that starts the app: `run.command`, else package.json's `scripts.start`. */
  startCommand: string;
  startCommandSource: 'package.json' | typeof SLIPWAY_YAML;
  /** With a lockfile the image runs `npm ci --omit=dev`; without one nothing is installed. */
  hasLockfile: boolean;
  lockfile: NpmLockfile | null;
  warnings: string[];
}

export interface StaticRecipe {
  kind: 'static';
  context: string;
  /** Folder holding index.html, relative to `context`: `.`, `public` or `dist`. */
  root: string;
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
const NPM_LOCKFILES: readonly NpmLockfile[] = ['npm-shrinkwrap.json', 'package-lock.json'];
const OTHER_LOCKFILES = ['yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock'];

/**
 * Decides how to build a commit. Order: the Dockerfile named by `build.dockerfile`, else
 * `<context>/Dockerfile`; else a Node app (package.json with a start script, or any
 * package.json when `run.command` is set); else a static site (index.html in the context, then
 * `public/`, then `dist/`); else `none` with a reason that says how to fix it.
 *
 * Problems in the repository's content (malformed package.json, a missing Dockerfile named in
 * slipway.yaml) are `none` with a reason naming the file: they fail the build, never retry it.
 * Only the SourceTree's own I/O errors are thrown.
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
  if (pkg.kind === 'found') {
    const start = config.run?.command ?? pkg.manifest.scripts.start;
    if (start) return nodeRecipe(tree, context, pkg.manifest, start, config.run?.command ? SLIPWAY_YAML : 'package.json');
  }

  for (const root of STATIC_ROOTS) {
    const index = joinPath(joinPath(context, root), 'index.html');
    if ((await tree.readFile(index)) !== null) return { kind: 'static', context, root, warnings: [] };
  }

  const fileName = joinPath(context, 'package.json');
  if (pkg.kind === 'found') return none(missingStartScript(fileName, pkg.manifest));
  return none(
    `Nothing to build ${where}: no Dockerfile, no package.json with a start script, no index.html. ` +
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

async function nodeRecipe(
  tree: SourceTree,
  context: string,
  manifest: PackageJson,
  startCommand: string,
  startCommandSource: NodeRecipe['startCommandSource'],
): Promise<NodeRecipe> {
  let lockfile: NpmLockfile | null = null;
  for (const name of NPM_LOCKFILES) {
    if ((await tree.readFile(joinPath(context, name))) !== null) {
      lockfile = name;
      break;
    }
  }
  const warnings: string[] = [];
  if (!lockfile) {
    for (const other of OTHER_LOCKFILES) {
      if (await tree.exists(joinPath(context, other))) {
        warnings.push(
          `Found ${other}, but Slipway installs dependencies with npm ci, which reads package-lock.json only. Commit a package-lock.json or add a Dockerfile.`,
        );
      }
    }
    const count = Object.keys(manifest.dependencies).length;
    if (count > 0 && !(await tree.exists(joinPath(context, 'node_modules')))) {
      warnings.push(
        `package.json lists ${count} dependencies but there is no package-lock.json, so none will be installed. Run npm install and commit package-lock.json.`,
      );
    }
  }
  if (/(^|[\s;&|(])(npm|npx|yarn|pnpm)\s/.test(startCommand)) {
    warnings.push(
      `The start command "${startCommand}" calls a package manager, which the base image may not contain. Start node directly (e.g. node server.js).`,
    );
  }
  if (manifest.scripts.build) {
    warnings.push(
      'package.json has a "build" script, which Slipway does not run. Commit the built files, or add a Dockerfile that builds them.',
    );
  }
  return { kind: 'node', context, startCommand, startCommandSource, hasLockfile: lockfile !== null, lockfile, warnings };
}

function missingStartScript(fileName: string, manifest: PackageJson): string {
  const fix = `or set run.command in ${SLIPWAY_YAML}, or add a Dockerfile.`;
  if (manifest.scripts.start === '')
    return `${fileName} has an empty "start" script. Put the command that starts the app there (e.g. "node server.js"), ${fix}`;
  if (manifest.main) {
    const command = `node ${manifest.main}`;
    return `${fileName} has no "start" script, so Slipway cannot tell how to run the app. Its "main" is ${manifest.main}: add "scripts": { "start": ${JSON.stringify(command)} }, ${fix}`;
  }
  return `${fileName} has no "start" script, so Slipway cannot tell how to run the app. Add one (e.g. "scripts": { "start": "node server.js" }), ${fix}`;
}

const none = (reason: string): NoRecipe => ({ kind: 'none', reason });
