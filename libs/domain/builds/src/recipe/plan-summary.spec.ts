import { describe, expect, it } from 'vitest';
import { detectRecipe, type BuildableRecipe } from './detect';
import { planLines } from './plan-summary';
import { createMemorySourceTree } from './source-tree';

const recipeOf = async (files: Record<string, string>) => (await detectRecipe(createMemorySourceTree(files), {})) as BuildableRecipe;

describe('planLines', () => {
  it('prints builder, Node version, install, build, prune and start with their reasons', async () => {
    const manifest = JSON.stringify({ engines: { node: '>=20' }, scripts: { build: 'tsc', start: 'node dist/main.js' }, dependencies: { express: '5' }, devDependencies: { typescript: '6' } });
    expect(planLines(await recipeOf({ 'package.json': manifest, 'package-lock.json': '{}' }))).toEqual([
      'builder  Node.js: Express',
      'node     24 (engines.node ">=20")',
      'install  npm ci  (package-lock.json)',
      'build    npm run build  (package.json scripts.build)',
      'prune    npm prune --omit=dev  (removes 1 devDependency after the build)',
      'start    node dist/main.js  (package.json scripts.start)',
    ]);
  });

  it('prints what a static site serves, and the Dockerfile it builds', async () => {
    expect(planLines(await recipeOf({ 'public/index.html': '' }))).toEqual(['builder  static site (committed files)', 'serve    public/ with nginx']);
    const vite = JSON.stringify({ scripts: { build: 'vite build' }, devDependencies: { vite: '7' } });
    expect(planLines(await recipeOf({ 'package.json': vite, 'package-lock.json': '{}' }))).toEqual([
      'builder  static site built by Vite',
      'node     24 (the default; set engines.node or build.node to choose)',
      'install  npm ci  (package-lock.json)',
      'build    npm run build  (package.json scripts.build)',
      'serve    dist/ with nginx, unknown paths answer index.html (single-page app)',
    ]);
    expect(planLines(await recipeOf({ Dockerfile: 'FROM x' }))).toEqual(['builder  Dockerfile (Dockerfile)']);
  });
});
