import { describe, expect, it } from 'vitest';
import { planPackageJsonApp, type PackageJsonPlan } from './node-plan';
import { readPackageJson } from './package-json';
import { parseProcfile } from './procfile';
import type { SlipwayConfig } from './slipway-yaml.schema';
import { createMemorySourceTree } from './source-tree';

async function plan(files: Record<string, string>, config: SlipwayConfig = {}): Promise<PackageJsonPlan> {
  const tree = createMemorySourceTree(files);
  const pkg = await readPackageJson(tree, 'package.json');
  if (pkg.kind !== 'found') throw new Error('no package.json');
  return planPackageJsonApp(tree, '.', pkg.manifest, config);
}
const pkg = (value: unknown) => JSON.stringify(value);
const node = async (files: Record<string, string>, config?: SlipwayConfig) => {
  const result = await plan(files, config);
  if (result.kind !== 'node') throw new Error(`expected node, got ${result.kind}: ${'reason' in result ? result.reason : ''}`);
  return result;
};
const EXPRESS = pkg({ scripts: { start: 'node server.js' }, dependencies: { express: '^5.1.0' } });

describe('planPackageJsonApp', () => {
  it('an Express app with a yarn.lock: yarn installs, no build, starts with the start script', async () => {
    expect(await node({ 'package.json': EXPRESS, 'yarn.lock': '# yarn lockfile v1\n' })).toMatchObject({
      framework: 'Express',
      setup: 'corepack enable',
      install: { command: 'yarn install --frozen-lockfile', why: 'yarn.lock' },
      installInputs: ['package.json', 'yarn.lock'],
      build: null,
      prune: null,
      start: { command: 'node server.js', why: 'package.json scripts.start' },
      warnings: [],
    });
  });

  it('builds with the build script, prunes devDependencies, and copies the whole app first when an install script needs it', async () => {
    const manifest = pkg({ scripts: { build: 'tsc', start: 'node dist/index.js', postinstall: 'prisma generate' }, dependencies: { fastify: '5' }, devDependencies: { typescript: '6', prisma: '7' } });
    expect(await node({ 'package.json': manifest, 'package-lock.json': '{}' })).toMatchObject({
      build: { command: 'npm run build', why: 'package.json scripts.build' },
      prune: { command: 'npm prune --omit=dev', why: 'removes 2 devDependencies after the build' },
      installInputs: null,
    });
  });

  it('copies .npmrc, .yarn/ and patches/ with the install inputs; a husky prepare script does not need the sources', async () => {
    const manifest = pkg({ scripts: { start: 'node s.js', prepare: 'husky' }, dependencies: { express: '5' } });
    expect((await node({ 'package.json': manifest, 'yarn.lock': '', '.yarnrc.yml': 'nodeLinker: node-modules', '.yarn/releases/yarn-4.cjs': '', '.npmrc': '', 'patches/x.patch': '' })).installInputs).toEqual([
      'package.json',
      'yarn.lock',
      '.npmrc',
      '.yarnrc.yml',
      '.yarn/',
      'patches/',
    ]);
    expect((await node({ 'package.json': pkg({ scripts: { start: 'node s.js', prepare: 'npm run build' }, dependencies: { a: '1' } }) })).installInputs).toBeNull();
    expect((await node({ 'package.json': pkg({ scripts: { start: 'node s.js' }, workspaces: ['packages/*'], dependencies: { a: '1' } }) })).installInputs).toBeNull();
    expect((await node({ 'package.json': pkg({ scripts: { start: 'node s.js' }, dependencies: { shared: 'file:./lib/shared' } }) })).installInputs).toBeNull();
  });

  it('slipway.yaml overrides every step', async () => {
    const config: SlipwayConfig = { build: { node: '20', install: 'npm ci --legacy-peer-deps', command: 'npm run compile' }, run: { command: 'node out/main.js' } };
    expect(await node({ 'package.json': EXPRESS, 'package-lock.json': '{}' }, config)).toMatchObject({
      node: { major: 20, source: 'build.node' },
      install: { command: 'npm ci --legacy-peer-deps', why: 'build.install in slipway.yaml' },
      build: { command: 'npm run compile', why: 'build.command in slipway.yaml' },
      start: { command: 'node out/main.js', why: 'run.command in slipway.yaml' },
    });
  });

  it('start order: run.command, Procfile web, framework-forced, start script, framework default, main, server.js', async () => {
    const procfile = 'web: node web.js\nworker: node worker.js\n';
    const withProcfile = await node({ 'package.json': EXPRESS, 'package-lock.json': '{}', Procfile: procfile });
    expect(withProcfile.start).toEqual({ command: 'node web.js', why: 'Procfile web:' });
    expect(withProcfile.warnings).toEqual(['Procfile: only "web" runs; "worker" is ignored.']);
    expect((await node({ 'package.json': pkg({ dependencies: { next: '16' }, scripts: { build: 'next build' } }) })).start).toEqual({ command: 'next start', why: 'Next.js default' });
    expect((await node({ 'package.json': pkg({ dependencies: { next: '16' }, scripts: { build: 'next build', start: 'next start -p 4000' } }) })).start.command).toBe('next start -p 4000');
  });

  it('Next.js standalone output starts server.js with HOSTNAME=0.0.0.0 and is not pruned', async () => {
    const manifest = pkg({ dependencies: { next: '16', react: '19' }, devDependencies: { typescript: '6' }, scripts: { build: 'next build', start: 'next start' } });
    expect(await node({ 'package.json': manifest, 'package-lock.json': '{}', 'next.config.ts': "const c = { output: 'standalone' }" })).toMatchObject({
      output: 'next-standalone',
      start: { command: 'node server.js', why: 'Next.js standalone output' },
      env: { HOSTNAME: '0.0.0.0' },
      prune: null,
    });
  });

  it('does not start a development server when a production start is known, and says so', async () => {
    const result = await node({ 'package.json': pkg({ scripts: { start: 'nodemon server.js' }, dependencies: { express: '5' }, devDependencies: { nodemon: '3' } }), 'server.js': '' });
    expect(result.start).toEqual({ command: 'node server.js', why: 'server.js (no start script)' });
    expect(result.warnings).toContain('package.json\'s start script (nodemon server.js) runs a development server; Slipway starts the app with "node server.js" (server.js (no start script)) instead.');
  });

  it('keeps devDependencies when the start command runs one (tsx), with a warning', async () => {
    const result = await node({ 'package.json': pkg({ scripts: { start: 'tsx src/index.ts' }, dependencies: { hono: '4' }, devDependencies: { tsx: '4' } }), 'package-lock.json': '{}' });
    expect(result.prune).toBeNull();
    expect(result.warnings).toEqual([expect.stringMatching(/^The start command runs tsx, a devDependency, so dev dependencies stay in the image/)]);
  });

  it('runs the start script through yarn under Plug\'n\'Play (no node_modules/.bin)', async () => {
    const manifest = pkg({ packageManager: 'yarn@4.5.1', scripts: { start: 'node server.js' }, dependencies: { express: '5' } });
    expect((await node({ 'package.json': manifest, 'yarn.lock': '__metadata:\n', '.yarnrc.yml': 'enableTelemetry: false\n' })).start.command).toBe('yarn run start');
    expect((await node({ 'package.json': manifest, 'yarn.lock': '__metadata:\n', '.yarnrc.yml': 'nodeLinker: node-modules\n' })).start.command).toBe('node server.js');
  });

  it('warns about floating versions without a lockfile; nothing to install without dependencies', async () => {
    expect((await node({ 'package.json': EXPRESS })).warnings).toEqual([expect.stringMatching(/^No lockfile: npm resolves dependency versions at build time/)]);
    expect((await node({ 'package.json': pkg({ scripts: { start: 'node s.js' } }) })).install).toBeNull();
  });

  it('a Vite SPA is a static plan with its toolchain; Procfile web: makes it a server', async () => {
    const vite = pkg({ scripts: { dev: 'vite', build: 'vite build', start: 'vite' }, devDependencies: { vite: '7' } });
    const result = await plan({ 'package.json': vite, 'pnpm-lock.yaml': "lockfileVersion: '9.0'\n" });
    expect(result).toMatchObject({ kind: 'static', root: 'dist', spa: true, toolchain: { install: { command: 'pnpm install --frozen-lockfile' }, setup: 'corepack enable' } });
    expect(result.kind === 'static' && result.warnings).toEqual([expect.stringMatching(/start script \(vite\) runs a development server; Slipway serves the built files from dist\//)]);
    expect((await plan({ 'package.json': vite, Procfile: 'web: npx serve -s dist' })).kind).toBe('node');
  });

  it('says what to add when nothing starts the app, and refuses SvelteKit with adapter-auto', async () => {
    expect(await plan({ 'package.json': pkg({ dependencies: { lodash: '4' } }) })).toMatchObject({ kind: 'no-start', reason: expect.stringContaining('a Procfile with a "web:" line, or run.command in slipway.yaml') });
    expect(await plan({ 'package.json': pkg({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-auto': '6' } }) })).toMatchObject({ kind: 'none', reason: expect.stringContaining('adapter-node') });
  });
});

describe('parseProcfile', () => {
  it('reads web and names the other process types', () => {
    expect(parseProcfile('# comment\nweb:   node server.js --port $PORT  \r\nworker: node w.js\nrelease: node migrate.js\n')).toEqual({ web: 'node server.js --port $PORT', ignored: ['worker', 'release'] });
    expect(parseProcfile('')).toEqual({ ignored: [] });
    expect(parseProcfile('web: a\nweb: b')).toEqual({ web: 'b', ignored: [] });
  });
});
