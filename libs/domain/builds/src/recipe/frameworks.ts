import type { PackageJson } from './package-json';
import { joinPath, normalizeRepoPath, type SourceTree } from './source-tree';

/**
 * What a build produces and how it starts, as a framework decides it:
 * - `server`: a Node process; `start` is the framework's own command, used when the app names
 *   none (`forced` = used even when package.json has a start script, because that script
 *   would not work in production, e.g. `next start` with standalone output);
 * - `next-standalone`: Next.js `output: 'standalone'`, copied alone into a fresh image;
 * - `static`: files in `dir` (relative to the app folder) served by the static image, with a
 *   fallback to index.html for single-page apps;
 * - `unsupported`: the framework is set up for another host; `reason` says what to change.
 */
export type AppOutput =
  | { kind: 'server'; start?: string; forced?: boolean; env?: Record<string, string> }
  | { kind: 'next-standalone' }
  | { kind: 'static'; dir: string; spa: boolean }
  | { kind: 'unsupported'; reason: string };

export interface FrameworkDetection {
  /** Display name (`Next.js`, `SvelteKit`, `Express`); null for a plain Node app. */
  name: string | null;
  output: AppOutput;
  /** Why the output was chosen, for the build plan (`output: 'standalone' in next.config.mjs`). */
  why?: string;
}

const CONFIG_EXTENSIONS = ['js', 'mjs', 'cjs', 'ts', 'mts'];

/** `program subcommand` pairs (or a lone program, `*` = any first argument) that start a development server or watcher. */
const DEV_SERVERS: Record<string, readonly string[]> = {
  next: ['dev'],
  nuxt: ['dev'],
  nuxi: ['dev'],
  astro: ['dev', 'preview'],
  remix: ['dev'],
  ng: ['serve'],
  'react-scripts': ['start'],
  vite: ['', 'dev', 'serve', 'preview'],
  webpack: ['serve'],
  'webpack-dev-server': ['*'],
  parcel: ['', 'serve', 'watch'],
  nodemon: ['*'],
  'ts-node-dev': ['*'],
  'svelte-kit': ['dev'],
};

/**
 * True when a start command runs a development server (`vite`, `next dev`, `nodemon server.js`):
 * never what production should run. Each simple command of the line is checked: its program
 * (after `NAME=value` assignments and `npx`) and first argument.
 */
export function isDevServerCommand(command: string): boolean {
  return command.split(/&&|\|\||[;|&]/).some((part) => {
    const words = part.trim().split(/\s+/).filter((w) => w !== '' && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (words[0] === 'npx' || words[0] === 'exec') words.shift();
    const [program = '', first = ''] = words;
    const subcommands = DEV_SERVERS[program];
    if (!subcommands) return false;
    const argument = first.startsWith('-') ? '' : first;
    return subcommands.includes('*') || subcommands.includes(argument);
  });
}

/**
 * The framework of a package.json app, from its dependencies and config files. `startScript`
 * is package.json's start script when it is one production can run (not a dev server).
 */
export async function detectFramework(tree: SourceTree, dir: string, manifest: PackageJson): Promise<FrameworkDetection> {
  const deps = { ...manifest.devDependencies, ...manifest.dependencies };
  const has = (name: string) => name in deps;
  const start = manifest.scripts.start && !isDevServerCommand(manifest.scripts.start) ? manifest.scripts.start : undefined;
  const build = manifest.scripts.build ?? '';

  if (has('next')) {
    const config = await readConfig(tree, dir, 'next.config');
    if (config && /output\s*:\s*['"`]standalone['"`]/.test(config.text)) {
      return { name: 'Next.js', output: { kind: 'next-standalone' }, why: `output: 'standalone' in ${config.file}` };
    }
    if (config && /output\s*:\s*['"`]export['"`]/.test(config.text)) {
      return { name: 'Next.js', output: { kind: 'static', dir: 'out', spa: false }, why: `output: 'export' in ${config.file}` };
    }
    return { name: 'Next.js', output: { kind: 'server', start: 'next start' } };
  }

  if (has('nuxt')) {
    if (/\bnux[ti] generate\b/.test(build)) return { name: 'Nuxt', output: { kind: 'static', dir: '.output/public', spa: false }, why: 'the build script runs nuxt generate' };
    return { name: 'Nuxt', output: { kind: 'server', start: 'node .output/server/index.mjs' } };
  }

  if (has('@sveltejs/kit')) return sveltekit(tree, dir, has);

  if (has('astro')) {
    if (has('@astrojs/node')) return { name: 'Astro', output: { kind: 'server', start: 'node ./dist/server/entry.mjs', env: { HOST: '0.0.0.0' } }, why: '@astrojs/node adapter' };
    return { name: 'Astro', output: { kind: 'static', dir: 'dist', spa: false } };
  }

  if (has('@react-router/serve')) return { name: 'React Router', output: { kind: 'server', start: 'react-router-serve ./build/server/index.js' } };
  if (has('@remix-run/serve')) return { name: 'Remix', output: { kind: 'server', start: 'remix-serve ./build/server/index.js' } };

  if (has('@angular/core') && (has('@angular/cli') || has('@angular/build') || has('@angular-devkit/build-angular'))) {
    const ssr = Object.entries(manifest.scripts).find(([name]) => name.startsWith('serve:ssr'));
    if (has('@angular/ssr') && ssr) return { name: 'Angular', output: { kind: 'server', start: ssr[1], forced: true }, why: `SSR (scripts.${ssr[0]})` };
    return { name: 'Angular', output: { kind: 'static', dir: await angularOutput(tree, dir), spa: true } };
  }

  if (has('react-scripts')) return { name: 'Create React App', output: { kind: 'static', dir: 'build', spa: true } };

  if (has('@nestjs/core')) {
    // `nest start` compiles with the Nest CLI, a devDependency; the production entry is start:prod.
    const prod = manifest.scripts['start:prod'];
    return { name: 'NestJS', output: { kind: 'server', start: prod ?? 'node dist/main', forced: !start || /\bnest start\b/.test(start) } };
  }

  const server = ['express', 'fastify', 'hono', 'koa'].find(has);
  if (server) return { name: server === 'express' ? 'Express' : server === 'fastify' ? 'Fastify' : server === 'hono' ? 'Hono' : 'Koa', output: { kind: 'server' } };

  if (has('vite') && !start) {
    const config = await readConfig(tree, dir, 'vite.config');
    const outDir = config && /outDir\s*:\s*['"`]([^'"`]+)['"`]/.exec(config.text)?.[1];
    const folder = (outDir && normalizeRepoPath(outDir)) || 'dist';
    return { name: 'Vite', output: { kind: 'static', dir: folder, spa: true }, why: outDir ? `build.outDir in ${config.file}` : undefined };
  }

  return { name: null, output: { kind: 'server' } };
}

async function sveltekit(tree: SourceTree, dir: string, has: (name: string) => boolean): Promise<FrameworkDetection> {
  if (has('@sveltejs/adapter-node')) return { name: 'SvelteKit', output: { kind: 'server', start: 'node build' }, why: '@sveltejs/adapter-node' };
  if (has('@sveltejs/adapter-static')) {
    const config = await readConfig(tree, dir, 'svelte.config');
    const spa = !!config && /fallback\s*:\s*['"`][^'"`]+['"`]/.test(config.text);
    return { name: 'SvelteKit', output: { kind: 'static', dir: 'build', spa }, why: '@sveltejs/adapter-static' };
  }
  return {
    name: 'SvelteKit',
    output: {
      kind: 'unsupported',
      reason:
        'This SvelteKit app has no adapter that builds a Node server (adapter-auto targets serverless hosts and builds nothing here). ' +
        'Install @sveltejs/adapter-node (npm i -D @sveltejs/adapter-node) and use it in svelte.config.js, or @sveltejs/adapter-static for a static site.',
    },
  };
}

/** Angular's build folder: angular.json's outputPath (+ `/browser` for the application builder), else dist/<project>/browser. */
async function angularOutput(tree: SourceTree, dir: string): Promise<string> {
  const text = await tree.readFile(joinPath(dir, 'angular.json'));
  try {
    const json = JSON.parse(text ?? '{}') as { projects?: Record<string, { architect?: { build?: { builder?: string; options?: { outputPath?: unknown } } } }> };
    for (const [name, project] of Object.entries(json.projects ?? {})) {
      const build = project.architect?.build;
      if (!build) continue;
      const output = build.options?.outputPath;
      const base = typeof output === 'string' ? output : typeof output === 'object' && output && 'base' in output ? String((output as { base: unknown }).base) : `dist/${name}`;
      const browserFolder = /:application$/.test(build.builder ?? '') || build.builder === undefined;
      return normalizeRepoPath(browserFolder ? `${base}/browser` : base) ?? `dist/${name}/browser`;
    }
  } catch {
    // an unreadable angular.json: the default layout below
  }
  return 'dist/browser';
}

async function readConfig(tree: SourceTree, dir: string, base: string): Promise<{ file: string; text: string } | null> {
  for (const ext of CONFIG_EXTENSIONS) {
    const file = `${base}.${ext}`;
    const text = await tree.readFile(joinPath(dir, file));
    if (text !== null) return { file, text };
  }
  return null;
}
