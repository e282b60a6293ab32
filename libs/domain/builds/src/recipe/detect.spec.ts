import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectRecipe, type Recipe } from './detect';
import { createMemorySourceTree, type SourceTree } from './source-tree';
import type { SlipwayConfig } from './slipway-yaml.schema';

const pkg = (value: unknown) => JSON.stringify(value);
const START = pkg({ name: 'app', scripts: { start: 'node server.js' } });
const detect = (files: Record<string, string>, config: SlipwayConfig = {}) => detectRecipe(createMemorySourceTree(files), config);
const reasonOf = (recipe: Recipe) => {
  if (recipe.kind !== 'none') throw new Error(`expected none, got ${recipe.kind}`);
  return recipe.reason;
};

describe('detectRecipe', () => {
  describe('Dockerfile', () => {
    it('uses a Dockerfile at the root before anything else', async () => {
      expect(await detect({ Dockerfile: 'FROM x', 'package.json': START, 'index.html': '<h1>' })).toEqual({
        kind: 'dockerfile',
        context: '.',
        dockerfile: 'Dockerfile',
        dockerfileInContext: 'Dockerfile',
        buildArgs: {},
        warnings: [],
      });
    });

    it('uses the Dockerfile named in slipway.yaml, with its build args', async () => {
      const recipe = await detect(
        { 'docker/web.Dockerfile': 'FROM x', 'package.json': START },
        { build: { dockerfile: 'docker/web.Dockerfile', args: { A: '1' } } },
      );
      expect(recipe).toMatchObject({
        kind: 'dockerfile',
        dockerfile: 'docker/web.Dockerfile',
        dockerfileInContext: 'docker/web.Dockerfile',
        buildArgs: { A: '1' },
      });
    });

    it('fails with the path when the configured Dockerfile is missing, instead of guessing', async () => {
      const reason = reasonOf(await detect({ Dockerfile: 'FROM x' }, { build: { dockerfile: 'docker/Dockerfile' } }));
      expect(reason).toBe(
        'build.dockerfile in slipway.yaml is "docker/Dockerfile", which does not exist in this commit. Fix the path, or remove the key to detect the app.',
      );
    });

    it('says so when the configured Dockerfile is a folder', async () => {
      expect(reasonOf(await detect({ 'docker/Dockerfile/x': '' }, { build: { dockerfile: 'docker/Dockerfile' } }))).toMatch(
        /is a folder, not a file/,
      );
    });

    it('looks inside build.context and gives the Dockerfile relative to it', async () => {
      const files = { 'services/api/Dockerfile': 'FROM x', 'services/api/docker/prod.Dockerfile': 'FROM y' };
      expect(await detect(files, { build: { context: 'services/api' } })).toMatchObject({
        context: 'services/api',
        dockerfile: 'services/api/Dockerfile',
        dockerfileInContext: 'Dockerfile',
      });
      expect(await detect(files, { build: { context: 'services/api', dockerfile: 'services/api/docker/prod.Dockerfile' } })).toMatchObject({
        dockerfileInContext: 'docker/prod.Dockerfile',
      });
    });

    it('rejects a Dockerfile outside the context, and a context that does not exist', async () => {
      const files = { Dockerfile: 'FROM x', 'app/server.js': '' };
      expect(reasonOf(await detect(files, { build: { context: 'app', dockerfile: 'Dockerfile' } }))).toMatch(/outside build.context "app"/);
      expect(reasonOf(await detect(files, { build: { context: 'api' } }))).toMatch(
        /build.context in slipway.yaml is "api", which is not a folder/,
      );
    });
  });

  describe('Node', () => {
    it('runs the start script; no dependencies means nothing to install', async () => {
      expect(await detect({ 'package.json': START, 'server.js': '' })).toMatchObject({
        kind: 'node',
        context: '.',
        start: { command: 'node server.js', why: 'package.json scripts.start' },
        install: null,
        build: null,
        prune: null,
        node: { major: 24, source: 'default' },
        packageManager: { name: 'npm', lockfile: null },
        output: 'server',
        warnings: [],
      });
    });

    it.each([
      ['package-lock.json', 'npm ci'],
      ['npm-shrinkwrap.json', 'npm ci'],
      ['yarn.lock', 'yarn install --frozen-lockfile'],
      ['pnpm-lock.yaml', 'pnpm install --frozen-lockfile'],
      ['bun.lock', 'bun install --frozen-lockfile'],
    ])('installs from %s with %s, copying the install inputs first', async (lockfile, command) => {
      const recipe = await detect({ 'package.json': pkg({ scripts: { start: 'node s.js' }, dependencies: { express: '^5' } }), [lockfile]: 'x' });
      expect(recipe).toMatchObject({ kind: 'node', install: { command }, installInputs: ['package.json', lockfile], packageManager: { lockfile } });
    });

    it('prefers run.command from slipway.yaml, and accepts a package.json without start when it is set', async () => {
      const config = { run: { command: 'node dist/main.js' } };
      expect(await detect({ 'package.json': START }, config)).toMatchObject({ start: { command: 'node dist/main.js', why: 'run.command in slipway.yaml' } });
      expect(await detect({ 'package.json': pkg({ name: 'x' }) }, config)).toMatchObject({ kind: 'node', start: { command: 'node dist/main.js' } });
    });

    it('finds the app inside build.context', async () => {
      const recipe = await detect({ 'apps/web/package.json': START, 'apps/web/package-lock.json': '{}' }, { build: { context: 'apps/web' } });
      expect(recipe).toMatchObject({ kind: 'node', context: 'apps/web', packageManager: { lockfile: 'package-lock.json' } });
    });

    it('starts a plain app from main, or from server.js, when there is no start script', async () => {
      expect(await detect({ 'package.json': pkg({ main: 'lib/index.js', dependencies: { express: '5' } }) })).toMatchObject({ start: { command: 'node lib/index.js', why: 'package.json main' } });
      expect(await detect({ 'package.json': pkg({ name: 'x' }), 'server.js': '' })).toMatchObject({ start: { command: 'node server.js' } });
    });

    it('plans a site that a framework builds as static output, with its toolchain', async () => {
      const vite = pkg({ scripts: { dev: 'vite', build: 'vite build' }, devDependencies: { vite: '^7' } });
      expect(await detect({ 'package.json': vite, 'package-lock.json': '{}', 'index.html': '' })).toMatchObject({
        kind: 'static',
        root: 'dist',
        spa: true,
        framework: 'Vite',
        toolchain: { install: { command: 'npm ci' }, build: { command: 'npm run build' } },
      });
    });

    it('refuses an unknown package manager, naming the field', async () => {
      expect(reasonOf(await detect({ 'package.json': pkg({ scripts: { start: 'node s.js' }, packageManager: 'cnpm@9' }) }))).toMatch(/"packageManager" is "cnpm@9"/);
    });
  });

  describe('static site', () => {
    it.each([
      [{ 'index.html': '' }, '.'],
      [{ 'public/index.html': '', 'dist/index.html': '' }, 'public'],
      [{ 'dist/index.html': '', 'src/index.html': '' }, 'dist'],
    ])('finds index.html in %j → root %s', async (files, root) => {
      expect(await detect(files)).toEqual({ kind: 'static', context: '.', root, spa: false, framework: null, toolchain: null, warnings: [] });
    });

    it('serves a site whose package.json has no start script', async () => {
      expect(
        await detect({ 'package.json': pkg({ name: 'site', scripts: { build: 'vite build' } }), 'dist/index.html': '' }),
      ).toMatchObject({ kind: 'static', root: 'dist' });
    });

    it('does not take a folder named index.html for the page', async () => {
      expect((await detect({ 'index.html/x': '' })).kind).toBe('none');
    });
  });

  describe('nothing detectable', () => {
    it('says what to add', async () => {
      const reason = reasonOf(await detect({ 'README.md': '# hi', 'server.js': '' }));
      expect(reason).toMatch(/^Nothing to build at the repository root: no Dockerfile, no package.json, no index.html\./);
      expect(reason).toContain('Add a Dockerfile, a package.json with a "start" script (e.g. "start": "node server.js"), or an index.html');
      expect(reason).toContain('build.dockerfile in slipway.yaml');
    });

    it('says the start script is empty', async () => {
      expect(reasonOf(await detect({ 'package.json': pkg({ scripts: { start: '' } }) }))).toMatch(
        /^package.json has an empty "start" script/,
      );
    });

    it('says what to add when nothing says how to start the app', async () => {
      expect(reasonOf(await detect({ 'package.json': pkg({ name: 'x', dependencies: { express: '5' } }) }))).toBe(
        'Slipway cannot tell how to start this app: no start script, no Procfile, no framework it knows, no "main" and no server.js or index.js. Add a "start" script to package.json (e.g. "start": "node server.js"), a Procfile with a "web:" line, or run.command in slipway.yaml.',
      );
    });

    it('names the file and the spot of malformed JSON', async () => {
      const reason = reasonOf(await detect({ 'package.json': '{\n  "scripts": { "start": "node s.js" },\n}\n', 'index.html': '' }));
      expect(reason).toMatch(/^package.json is not valid JSON \(.*line 3, column 1\)\. Fix the JSON and push again\.$/);
    });

    it.each([
      ['[1]', /must hold a JSON object/],
      ['{"scripts": "node s.js"}', /"scripts" must be an object/],
      ['{"scripts": {"start": ["node"]}}', /scripts.start must be a string command/],
    ])('explains an unusable package.json %s', async (text, message) => {
      expect(reasonOf(await detect({ 'apps/x/package.json': text }, { build: { context: 'apps/x' } }))).toMatch(message);
    });

    it('accepts a byte-order mark', async () => {
      expect((await detect({ 'package.json': `\uFEFF${START}` })).kind).toBe('node');
    });

    it('lets I/O errors of the tree through', async () => {
      const broken: SourceTree = { readFile: () => Promise.reject(new Error('EIO')), exists: () => Promise.resolve(true) };
      await expect(detectRecipe(broken, {})).rejects.toThrow('EIO');
    });
  });

  describe('the sample apps', () => {
    const root = join(__dirname, '../../../../testing/sample-apps');
    const treeOf = (name: string) => {
      const dir = join(root, name);
      return createMemorySourceTree(Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')])));
    };

    it.each([
      ['node-http', 'node'],
      ['unhealthy', 'node'],
      ['crash-on-start', 'node'],
      ['static-site', 'static'],
      ['dockerfile-app', 'dockerfile'],
    ])('detects %s as %s', async (name, kind) => {
      const recipe = await detectRecipe(treeOf(name), {});
      expect(recipe.kind).toBe(kind);
      if (recipe.kind === 'node') expect(recipe).toMatchObject({ start: { command: 'node server.js' }, install: null, warnings: [] });
    });
  });
});
