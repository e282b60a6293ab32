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
    it('runs the start script; no lockfile means nothing to install', async () => {
      expect(await detect({ 'package.json': START, 'server.js': '' })).toEqual({
        kind: 'node',
        context: '.',
        startCommand: 'node server.js',
        startCommandSource: 'package.json',
        hasLockfile: false,
        lockfile: null,
        warnings: [],
      });
    });

    it.each(['package-lock.json', 'npm-shrinkwrap.json'])('notes the lockfile %s (npm ci)', async (lockfile) => {
      expect(await detect({ 'package.json': START, [lockfile]: '{}' })).toMatchObject({ hasLockfile: true, lockfile, warnings: [] });
    });

    it('prefers run.command from slipway.yaml, and accepts a package.json without start when it is set', async () => {
      const config = { run: { command: 'node dist/main.js' } };
      expect(await detect({ 'package.json': START }, config)).toMatchObject({
        startCommand: 'node dist/main.js',
        startCommandSource: 'slipway.yaml',
      });
      expect(await detect({ 'package.json': pkg({ name: 'x' }) }, config)).toMatchObject({
        kind: 'node',
        startCommand: 'node dist/main.js',
      });
    });

    it('finds the app inside build.context', async () => {
      const recipe = await detect(
        { 'apps/web/package.json': START, 'apps/web/package-lock.json': '{}' },
        { build: { context: 'apps/web' } },
      );
      expect(recipe).toMatchObject({ kind: 'node', context: 'apps/web', lockfile: 'package-lock.json' });
    });

    it('warns when dependencies cannot be installed', async () => {
      const manifest = pkg({ scripts: { start: 'node s.js' }, dependencies: { express: '^5', pg: '^8' } });
      const recipe = await detect({ 'package.json': manifest, 'yarn.lock': '' });
      expect(recipe.kind === 'node' && recipe.warnings).toEqual([
        expect.stringMatching(/^Found yarn.lock, but Slipway installs dependencies with npm ci/),
        'package.json lists 2 dependencies but there is no package-lock.json, so none will be installed. Run npm install and commit package-lock.json.',
      ]);
      const vendored = await detect({ 'package.json': manifest, 'node_modules/express/index.js': '' });
      expect(vendored.kind === 'node' && vendored.warnings).toEqual([]);
    });

    it('warns about a start command that needs a package manager, and a build script it will not run', async () => {
      const recipe = await detect({ 'package.json': pkg({ scripts: { start: 'npm run serve', build: 'tsc' } }) });
      expect(recipe.kind === 'node' && recipe.warnings).toEqual([
        expect.stringMatching(/^The start command "npm run serve" calls a package manager/),
        expect.stringMatching(/^package.json has a "build" script, which Slipway does not run/),
      ]);
    });
  });

  describe('static site', () => {
    it.each([
      [{ 'index.html': '' }, '.'],
      [{ 'public/index.html': '', 'dist/index.html': '' }, 'public'],
      [{ 'dist/index.html': '', 'src/index.html': '' }, 'dist'],
    ])('finds index.html in %j → root %s', async (files, root) => {
      expect(await detect(files)).toEqual({ kind: 'static', context: '.', root, warnings: [] });
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
      expect(reason).toMatch(
        /^Nothing to build at the repository root: no Dockerfile, no package.json with a start script, no index.html\./,
      );
      expect(reason).toContain('Add a Dockerfile, a package.json with a "start" script (e.g. "start": "node server.js"), or an index.html');
      expect(reason).toContain('build.dockerfile in slipway.yaml');
    });

    it('names the main file when package.json has main but no start script', async () => {
      const reason = reasonOf(await detect({ 'package.json': pkg({ name: 'x', main: 'lib/index.js' }) }));
      expect(reason).toBe(
        'package.json has no "start" script, so Slipway cannot tell how to run the app. Its "main" is lib/index.js: add "scripts": { "start": "node lib/index.js" }, or set run.command in slipway.yaml, or add a Dockerfile.',
      );
    });

    it('says the start script is empty', async () => {
      expect(reasonOf(await detect({ 'package.json': pkg({ scripts: { start: '' } }) }))).toMatch(
        /^package.json has an empty "start" script/,
      );
    });

    it('asks for a start script when there is neither start nor main', async () => {
      expect(reasonOf(await detect({ 'package.json': pkg({ name: 'x' }) }))).toMatch(/^package.json has no "start" script.*Add one/);
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
      if (recipe.kind === 'node') expect(recipe).toMatchObject({ startCommand: 'node server.js', hasLockfile: false, warnings: [] });
    });
  });
});
