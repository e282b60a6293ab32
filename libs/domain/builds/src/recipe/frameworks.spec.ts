import { describe, expect, it } from 'vitest';
import { detectFramework, isDevServerCommand } from './frameworks';
import type { PackageJson } from './package-json';
import { createMemorySourceTree } from './source-tree';

const manifest = (over: Partial<PackageJson> = {}): PackageJson => ({ scripts: {}, dependencies: {}, devDependencies: {}, workspaces: false, ...over });
const detect = (m: Partial<PackageJson>, files: Record<string, string> = {}) => detectFramework(createMemorySourceTree(files), '.', manifest(m));

describe('detectFramework', () => {
  it('Next.js: standalone and export output from next.config, else next start', async () => {
    const next = { dependencies: { next: '16.0.0', react: '19' }, scripts: { build: 'next build', start: 'next start' } };
    expect(await detect(next, { 'next.config.mjs': "export default { output: 'standalone' };" })).toEqual({ name: 'Next.js', output: { kind: 'next-standalone' }, why: "output: 'standalone' in next.config.mjs" });
    expect(await detect(next, { 'next.config.ts': 'const config = {\n  output: "export",\n};' })).toMatchObject({ output: { kind: 'static', dir: 'out', spa: false } });
    expect(await detect(next)).toEqual({ name: 'Next.js', output: { kind: 'server', start: 'next start' } });
  });

  it('SvelteKit: adapter-node is a server, adapter-static a site, adapter-auto is refused with the fix', async () => {
    expect(await detect({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-node': '5' } })).toMatchObject({ name: 'SvelteKit', output: { kind: 'server', start: 'node build' } });
    expect(await detect({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-static': '3' } }, { 'svelte.config.js': "adapter: adapter({ fallback: '200.html' })" })).toMatchObject({ output: { kind: 'static', dir: 'build', spa: true } });
    const auto = await detect({ devDependencies: { '@sveltejs/kit': '2', '@sveltejs/adapter-auto': '3' } });
    expect(auto.output).toMatchObject({ kind: 'unsupported', reason: expect.stringContaining('Install @sveltejs/adapter-node') });
  });

  it('Nuxt, Remix, React Router and Astro start their server entries; Astro without an adapter is static', async () => {
    expect((await detect({ dependencies: { nuxt: '4' }, scripts: { build: 'nuxt build' } })).output).toEqual({ kind: 'server', start: 'node .output/server/index.mjs' });
    expect((await detect({ dependencies: { nuxt: '4' }, scripts: { build: 'nuxt generate' } })).output).toEqual({ kind: 'static', dir: '.output/public', spa: false });
    expect((await detect({ dependencies: { '@remix-run/serve': '2', '@remix-run/node': '2' } })).output).toMatchObject({ start: 'remix-serve ./build/server/index.js' });
    expect((await detect({ dependencies: { '@react-router/serve': '7' } })).output).toMatchObject({ start: 'react-router-serve ./build/server/index.js' });
    expect((await detect({ dependencies: { astro: '5', '@astrojs/node': '9' } })).output).toEqual({ kind: 'server', start: 'node ./dist/server/entry.mjs', env: { HOST: '0.0.0.0' } });
    expect((await detect({ dependencies: { astro: '5' } })).output).toEqual({ kind: 'static', dir: 'dist', spa: false });
  });

  it('single-page apps: CRA, Vite (with its outDir), Angular (angular.json)', async () => {
    expect(await detect({ dependencies: { 'react-scripts': '5' } })).toMatchObject({ name: 'Create React App', output: { kind: 'static', dir: 'build', spa: true } });
    expect((await detect({ devDependencies: { vite: '7' }, scripts: { dev: 'vite', build: 'vite build' } })).output).toEqual({ kind: 'static', dir: 'dist', spa: true });
    expect((await detect({ devDependencies: { vite: '7' } }, { 'vite.config.ts': "build: { outDir: './public-build' }" })).output).toMatchObject({ dir: 'public-build' });
    const angular = JSON.stringify({ projects: { shop: { architect: { build: { builder: '@angular/build:application', options: { outputPath: 'dist/shop' } } } } } });
    expect((await detect({ dependencies: { '@angular/core': '20' }, devDependencies: { '@angular/cli': '20' } }, { 'angular.json': angular })).output).toEqual({ kind: 'static', dir: 'dist/shop/browser', spa: true });
  });

  it('a Vite app with a real start script is a server (SSR), not a static site', async () => {
    expect((await detect({ devDependencies: { vite: '7' }, dependencies: { express: '5' }, scripts: { start: 'node server.js' } })).output).toEqual({ kind: 'server' });
    expect((await detect({ devDependencies: { vite: '7' }, scripts: { start: 'vite preview' } })).output.kind).toBe('static');
  });

  it('names plain servers; NestJS starts start:prod (or dist/main) instead of nest start', async () => {
    expect(await detect({ dependencies: { express: '5' } })).toEqual({ name: 'Express', output: { kind: 'server' } });
    expect((await detect({ dependencies: { fastify: '5' } })).name).toBe('Fastify');
    expect((await detect({ dependencies: { hono: '4' } })).name).toBe('Hono');
    expect((await detect({ dependencies: { '@nestjs/core': '11' }, scripts: { start: 'nest start', 'start:prod': 'node dist/main' } })).output).toEqual({ kind: 'server', start: 'node dist/main', forced: true });
    expect((await detect({ dependencies: { '@nestjs/core': '11' } })).output).toMatchObject({ start: 'node dist/main' });
    expect(await detect({})).toEqual({ name: null, output: { kind: 'server' } });
  });
});

describe('isDevServerCommand', () => {
  it.each(['vite', 'vite --host', 'vite dev', 'next dev', 'nuxt dev', 'react-scripts start', 'ng serve', 'nodemon server.js', 'NODE_ENV=dev nodemon', 'npx nodemon index.js', 'npm run db && ts-node-dev src/main.ts', 'astro dev'])('%j is a dev server', (command) => {
    expect(isDevServerCommand(command)).toBe(true);
  });
  it.each(['node server.js', 'next start', 'vite build', 'node build', 'remix-serve build/index.js', 'npm run serve', 'vite-node x.ts', 'tsx watch-free.ts'])('%j is not', (command) => {
    expect(isDevServerCommand(command)).toBe(false);
  });
});
