import { detectFramework, isDevServerCommand, type FrameworkDetection } from './frameworks';
import { selectNodeVersion, type NodeVersionChoice } from './node-version';
import type { PackageJson } from './package-json';
import { detectPackageManager, LOCKFILE_NAMES, packageManagerCommands, type PackageManagerChoice } from './package-manager';
import { parseProcfile } from './procfile';
import { SLIPWAY_YAML, type SlipwayConfig } from './slipway-yaml.schema';
import { joinPath, type SourceTree } from './source-tree';

/** One step of a plan: the shell command and why it was chosen, both shown in the push output. */
export interface PlanStep {
  command: string;
  why: string;
}

/** How a package.json app gets its dependencies and build output. */
export interface NodeToolchain {
  node: NodeVersionChoice;
  packageManager: PackageManagerChoice;
  /** Makes yarn/pnpm/bun available before the install (Corepack, npm for bun); null for npm. */
  setup: string | null;
  /** Null when there is nothing to install (no dependencies, no lockfile). */
  install: PlanStep | null;
  /**
   * Files copied before the install, so the installed dependencies are a cached layer until one
   * of them changes (folders end in `/`); null = the whole app first (workspaces and install
   * scripts need it).
   */
  installInputs: string[] | null;
  build: PlanStep | null;
}

export type NodeOutput = 'server' | 'next-standalone';

export interface NodePlan extends NodeToolchain {
  kind: 'node';
  framework: string | null;
  output: NodeOutput;
  /** Removes devDependencies after the build (server output only). */
  prune: PlanStep | null;
  start: PlanStep;
  /** Set in the image for the framework's server (e.g. HOSTNAME=0.0.0.0 for Next standalone). */
  env: Record<string, string>;
  warnings: string[];
}

export interface StaticBuildPlan {
  kind: 'static';
  framework: string | null;
  /** The folder the build writes (relative to the app folder), served as the site. */
  root: string;
  spa: boolean;
  toolchain: NodeToolchain;
  warnings: string[];
}

export type PackageJsonPlan = NodePlan | StaticBuildPlan | { kind: 'none'; reason: string } | { kind: 'no-start'; reason: string };

/** Files a package manager reads during the install, besides package.json and the lockfile. */
const INSTALL_INPUTS = ['.npmrc', '.yarnrc', '.yarnrc.yml', '.yarn', '.pnpmfile.cjs', 'bunfig.toml', 'patches'];
/** Lifecycle scripts npm/yarn/pnpm run during the install, which may need the app's sources. */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'];
/** The files a plain Node app is commonly started from, when nothing names the entry point. */
const ENTRY_FILES = ['server.js', 'index.js', 'app.js', 'main.js', 'server.mjs', 'index.mjs'];

/**
 * The plan for an app with a package.json: Node version, package manager, install, build,
 * prune and start (or the static folder the build produces), each with the reason it was
 * chosen. `slipway.yaml` overrides every step (`build.node`, `build.install`,
 * `build.command`, `run.command`). `no-start` means nothing says how to run the app: the caller
 * may still find a committed static site.
 */
export async function planPackageJsonApp(tree: SourceTree, dir: string, manifest: PackageJson, config: SlipwayConfig): Promise<PackageJsonPlan> {
  const file = (name: string) => joinPath(dir, name);
  const warnings: string[] = [];

  const node = selectNodeVersion({
    configured: config.build?.node,
    engines: manifest.enginesNode,
    nvmrc: await tree.readFile(file('.nvmrc')),
    nodeVersionFile: await tree.readFile(file('.node-version')),
  });
  if (node.warning) warnings.push(node.warning);

  const lockfiles = new Set<string>();
  for (const name of LOCKFILE_NAMES) if ((await tree.readFile(file(name))) !== null) lockfiles.add(name);
  const detected = detectPackageManager({
    packageManagerField: manifest.packageManager,
    lockfiles,
    yarnrcYml: (await tree.readFile(file('.yarnrc.yml'))) !== null,
    yarnLockHead: head(await tree.readFile(file('yarn.lock'))),
    pnpmLockHead: head(await tree.readFile(file('pnpm-lock.yaml'))),
  });
  if (!detected.ok) return { kind: 'none', reason: detected.reason };
  warnings.push(...detected.warnings);
  const pm = detected.choice;
  const commands = packageManagerCommands(pm);

  const framework = await detectFramework(tree, dir, manifest);
  if (framework.output.kind === 'unsupported') return { kind: 'none', reason: framework.output.reason };

  const dependencyCount = Object.keys(manifest.dependencies).length + Object.keys(manifest.devDependencies).length;
  const install = installStep(config, pm, commands.install, dependencyCount);
  if (!pm.lockfile && install && !config.build?.install && dependencyCount > 0) {
    warnings.push(`No lockfile: ${pm.name} resolves dependency versions at build time, so two builds of one commit may differ. Commit ${pm.name === 'npm' ? 'package-lock.json' : `${pm.name}'s lockfile`} for repeatable builds.`);
  }
  const toolchain: NodeToolchain = {
    node,
    packageManager: pm,
    setup: install || manifest.scripts.build || config.build?.command ? commands.setup : null,
    install,
    installInputs: await installInputs(tree, dir, manifest, pm),
    build: config.build?.command
      ? { command: config.build.command, why: `build.command in ${SLIPWAY_YAML}` }
      : manifest.scripts.build
        ? { command: commands.run('build'), why: 'package.json scripts.build' }
        : null,
  };

  const procfile = parseProcfile((await tree.readFile(file('Procfile'))) ?? '');
  if (procfile.ignored.length) warnings.push(`Procfile: only "web" runs; ${procfile.ignored.map((t) => `"${t}"`).join(', ')} ${procfile.ignored.length === 1 ? 'is' : 'are'} ignored.`);
  const explicitStart: PlanStep | null = config.run?.command
    ? { command: config.run.command, why: `run.command in ${SLIPWAY_YAML}` }
    : procfile.web
      ? { command: procfile.web, why: 'Procfile web:' }
      : null;

  const output = framework.output;
  if (output.kind === 'static' && !explicitStart) {
    if (!toolchain.build) warnings.push(`${framework.name} builds its site with a "build" script, and package.json has none; add one (or build.command in ${SLIPWAY_YAML}).`);
    if (manifest.scripts.start && isDevServerCommand(manifest.scripts.start)) warnings.push(`package.json's start script (${manifest.scripts.start}) runs a development server; Slipway serves the built files from ${output.dir}/ instead.`);
    return { kind: 'static', framework: framework.name, root: output.dir, spa: output.spa, toolchain, warnings };
  }

  const start = explicitStart ?? (await startStep(tree, dir, manifest, framework, warnings));
  if (!start) return { kind: 'no-start', reason: missingStart(joinPath(dir, 'package.json'), manifest) };

  const berryPnp = pm.berry && !/nodeLinker:\s*["']?node-modules/.test((await tree.readFile(file('.yarnrc.yml'))) ?? '');
  if (berryPnp && start.why === 'package.json scripts.start') start.command = 'yarn run start';

  const nodeOutput: NodeOutput = output.kind === 'next-standalone' && !explicitStart ? 'next-standalone' : 'server';
  const env = { ...(output.kind === 'server' ? output.env : {}), ...(nodeOutput === 'next-standalone' ? { HOSTNAME: '0.0.0.0' } : {}) };
  return {
    kind: 'node',
    ...toolchain,
    framework: framework.name,
    output: nodeOutput,
    prune: nodeOutput === 'server' ? pruneStep(manifest, commands.prune, start, warnings) : null,
    start,
    env,
    warnings,
  };
}

function installStep(config: SlipwayConfig, pm: PackageManagerChoice, command: string, dependencyCount: number): PlanStep | null {
  if (config.build?.install) return { command: config.build.install, why: `build.install in ${SLIPWAY_YAML}` };
  if (dependencyCount === 0 && !pm.lockfile) return null;
  const lock = pm.lockfile ? ` (${pm.lockfile})` : '';
  const which =
    pm.source === 'packageManager'
      ? `package.json packageManager ${pm.name}@${pm.version}`
      : pm.source === 'lockfile'
        ? `${pm.lockfile}${pm.berry ? ', Yarn 2+' : ''}${pm.version ? `, ${pm.name} ${pm.version}` : ''}`
        : `no lockfile, so ${pm.name}`;
  return { command, why: pm.source === 'packageManager' ? `${which}${lock}` : which };
}

async function installInputs(tree: SourceTree, dir: string, manifest: PackageJson, pm: PackageManagerChoice): Promise<string[] | null> {
  const prepare = manifest.scripts.prepare;
  const scripts = INSTALL_SCRIPTS.some((name) => manifest.scripts[name]) || (prepare !== undefined && !/^\s*husky(\s+install)?\s*$/.test(prepare));
  const workspaces = manifest.workspaces || (await tree.readFile(joinPath(dir, 'pnpm-workspace.yaml'))) !== null;
  // `file:../lib`, `link:`, `portal:` and `workspace:` dependencies are folders of the app the install reads.
  const local = Object.values({ ...manifest.dependencies, ...manifest.devDependencies }).some((spec) => /^(file|link|portal|workspace):/.test(spec));
  if (scripts || workspaces || local) return null;
  const inputs = ['package.json', ...(pm.lockfile ? [pm.lockfile] : [])];
  for (const name of INSTALL_INPUTS) {
    const path = joinPath(dir, name);
    if ((await tree.readFile(path)) !== null) inputs.push(name);
    else if (await tree.exists(path)) inputs.push(`${name}/`); // a folder (.yarn/, patches/)
  }
  return inputs;
}

/** Start order: framework-forced, package.json start (unless a dev server), framework default, main, a common entry file. */
async function startStep(tree: SourceTree, dir: string, manifest: PackageJson, framework: FrameworkDetection, warnings: string[]): Promise<PlanStep | null> {
  const output = framework.output;
  if (output.kind === 'next-standalone') return { command: 'node server.js', why: 'Next.js standalone output' };
  const frameworkStart = output.kind === 'server' ? output.start : undefined;
  if (frameworkStart && output.kind === 'server' && output.forced) return { command: frameworkStart, why: `${framework.name}${framework.why ? ` (${framework.why})` : ''}` };
  const script = manifest.scripts.start;
  if (script && !isDevServerCommand(script)) return { command: script, why: 'package.json scripts.start' };
  const fallback: PlanStep | null = frameworkStart
    ? { command: frameworkStart, why: `${framework.name} default` }
    : manifest.main
      ? { command: `node ${manifest.main}`, why: 'package.json main' }
      : await entryFile(tree, dir, Object.keys(manifest.dependencies).length > 0);
  if (script) {
    if (!fallback) {
      warnings.push(`package.json's start script (${script}) runs a development server; it is used because nothing else says how to start the app. Add a production start command (start script, Procfile web: or run.command in ${SLIPWAY_YAML}).`);
      return { command: script, why: 'package.json scripts.start (a development server)' };
    }
    warnings.push(`package.json's start script (${script}) runs a development server; Slipway starts the app with "${fallback.command}" (${fallback.why}) instead.`);
  }
  return fallback;
}

/** server.js always counts; index.js and the others only in an app with runtime dependencies (not a site's helper script). */
async function entryFile(tree: SourceTree, dir: string, hasDependencies: boolean): Promise<PlanStep | null> {
  for (const name of hasDependencies ? ENTRY_FILES : ENTRY_FILES.filter((f) => f.startsWith('server.'))) {
    if ((await tree.readFile(joinPath(dir, name))) !== null) return { command: `node ${name}`, why: `${name} (no start script)` };
  }
  return null;
}

/** Dev dependencies go after the build, unless the start command runs one of them (tsx, ts-node…). */
function pruneStep(manifest: PackageJson, command: string | null, start: PlanStep, warnings: string[]): PlanStep | null {
  const dev = Object.keys(manifest.devDependencies);
  if (!command || dev.length === 0) return null;
  const programs = start.command
    .split(/&&|\|\||[;|&]/)
    .map((part) => part.trim().split(/\s+/).find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w) && w !== 'npx' && w !== 'exec'))
    .filter((w): w is string => !!w);
  const needed = programs.find((program) => dev.includes(program));
  if (needed) {
    warnings.push(`The start command runs ${needed}, a devDependency, so dev dependencies stay in the image. Move ${needed} to dependencies (or start a compiled file) for a smaller image.`);
    return null;
  }
  return { command, why: `removes ${dev.length} devDependenc${dev.length === 1 ? 'y' : 'ies'} after the build` };
}

function missingStart(fileName: string, manifest: PackageJson): string {
  const fix = `Add a "start" script to ${fileName} (e.g. "start": "node server.js"), a Procfile with a "web:" line, or run.command in ${SLIPWAY_YAML}.`;
  if (manifest.scripts.start === '') return `${fileName} has an empty "start" script, so Slipway cannot tell how to run the app. ${fix}`;
  return `Slipway cannot tell how to start this app: no start script, no Procfile, no framework it knows, no "main" and no server.js or index.js. ${fix}`;
}

/** The first 512 characters: enough for a lockfile's version header. */
const head = (text: string | null): string | null => (text === null ? null : text.slice(0, 512));
