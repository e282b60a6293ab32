import { describe, expect, it } from 'vitest';
import type { DockerfileRecipe, NodeRecipe } from './detect';
import { explainBuildFailure } from './failure-hints';

const recipe = {
  kind: 'node',
  context: '.',
  node: { major: 24, source: 'default' },
  packageManager: { name: 'npm', berry: false, lockfile: 'package-lock.json', source: 'lockfile' },
  setup: null,
  install: { command: 'npm ci', why: '' },
  installInputs: ['package.json', 'package-lock.json'],
  build: { command: 'npm run build', why: '' },
  framework: null,
  output: 'server',
  prune: { command: 'npm prune --omit=dev', why: '' },
  start: { command: 'node s.js', why: '' },
  env: {},
  warnings: [],
} satisfies NodeRecipe;
const docker = (command: string, code = 1) => `The command '/bin/sh -c ${command}' returned a non-zero code: ${code}`;

describe('explainBuildFailure', () => {
  it('says the lockfile is out of sync when npm ci says so', () => {
    const reason = explainBuildFailure(recipe, docker('npm ci && rm -rf /tmp/slipway-cache'), ['npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.']);
    expect(reason).toMatch(/^Installing dependencies failed \(npm ci, exit code 1\)\. package-lock.json is out of sync with package.json \(npm explains above\)\. Run npm install, commit package-lock.json and push again\. Last lines:\n/);
  });

  it('names a failing build script with its last lines', () => {
    const tail = ['-----> build: npm run build', ...Array.from({ length: 20 }, (_, i) => `line ${i}`)];
    const run = "rm -rf .slipway-build && echo '-----> build: npm run build' && NODE_ENV=production npm run build && echo '-----> prune: npm prune --omit=dev' && npm prune --omit=dev && rm -rf /tmp/slipway-cache";
    expect(explainBuildFailure(recipe, docker(run, 2), tail)).toBe(`The build failed (npm run build, exit code 2). Last lines:\n${tail.slice(-8).join('\n')}`);
    expect(explainBuildFailure(recipe, docker(run, 1), ['-----> build: npm run build', 'ok', '-----> prune: npm prune --omit=dev', 'npm error x'])).toMatch(/^Removing devDependencies failed \(npm prune --omit=dev, exit code 1\)/);
  });

  it('explains native addons that need a compiler', () => {
    expect(explainBuildFailure(recipe, docker('npm ci && rm -rf /tmp/slipway-cache'), ['gyp ERR! find Python'])).toContain('needs python3, make and g++');
  });

  it('adds the hint to a Dockerfile build, and leaves an unknown error as it is', () => {
    const dockerfile: DockerfileRecipe = { kind: 'dockerfile', context: '.', dockerfile: 'Dockerfile', dockerfileInContext: 'Dockerfile', buildArgs: {}, warnings: [] };
    expect(explainBuildFailure(dockerfile, docker('npm ci'), ['ERR_PNPM_OUTDATED_LOCKFILE'])).toMatch(/pnpm-lock.yaml is out of date/);
    expect(explainBuildFailure(recipe, 'COPY failed: no source files were specified', [])).toBe('COPY failed: no source files were specified');
  });
});
