import { describe, expect, it } from 'vitest';
import { buildCacheKey, canonicalJson, type CacheKeyInput } from './cache-key';
import type { DockerfileRecipe, NodeRecipe } from './detect';

const SHA = 'a'.repeat(40);
const nodeRecipe: NodeRecipe = {
  kind: 'node',
  context: '.',
  startCommand: 'node server.js',
  startCommandSource: 'package.json',
  hasLockfile: false,
  lockfile: null,
  warnings: [],
};
const dockerRecipe: DockerfileRecipe = {
  kind: 'dockerfile',
  context: '.',
  dockerfile: 'Dockerfile',
  dockerfileInContext: 'Dockerfile',
  buildArgs: { A: '1' },
  warnings: [],
};
const base: CacheKeyInput = {
  commitSha: SHA,
  recipe: nodeRecipe,
  config: { build: { args: { A: '1', B: '2' } }, run: { port: 3000 } },
  baseImages: { node: 'slipway/node:24', static: 'slipway/static:1' },
};
const key = (over: Partial<CacheKeyInput> = {}) => buildCacheKey({ ...base, ...over });

describe('buildCacheKey', () => {
  it('is a sha256 hex digest, the same for the same commit and settings', () => {
    expect(key()).toMatch(/^[0-9a-f]{64}$/);
    expect(key()).toBe(key({ config: { run: { port: 3000 }, build: { args: { B: '2', A: '1' } } } }));
    expect(key({ commitSha: SHA.toUpperCase() })).toBe(key());
  });

  it.each<[string, Partial<CacheKeyInput>]>([
    ['another commit', { commitSha: 'b'.repeat(40) }],
    ['a SHA-256 commit id', { commitSha: 'a'.repeat(64) }],
    ['another node base image', { baseImages: { ...base.baseImages, node: 'node:20-slim' } }],
    ['another static base image', { baseImages: { ...base.baseImages, static: 'busybox:1.36' } }],
    ['a changed build arg', { config: { ...base.config, build: { args: { A: '1', B: '3' } } } }],
    ['an added build arg', { config: { ...base.config, build: { args: { A: '1', B: '2', C: '' } } } }],
    ['another port', { config: { ...base.config, run: { port: 8080 } } }],
    ['a run command', { config: { ...base.config, run: { port: 3000, command: 'node x.js' } } }],
    ['another Dockerfile', { config: { ...base.config, build: { ...base.config.build, dockerfile: 'docker/Dockerfile' } } }],
    ['another recipe', { recipe: dockerRecipe }],
    ['a lockfile', { recipe: { ...nodeRecipe, hasLockfile: true, lockfile: 'package-lock.json' } }],
    ['an explicit default port', { port: 3000 }],
  ])('changes with %s', (_, over) => {
    expect(key(over)).not.toBe(key());
  });

  it('ignores settings that only change how the image runs, and recipe warnings', () => {
    const runtimeOnly = {
      ...base.config,
      healthCheck: { path: '/healthz', timeoutSeconds: 5 },
      resources: { replicas: 3, memoryMb: 1024 },
      capabilities: { add: ['NET_BIND_SERVICE' as const] },
      gateway: { models: { chat: { routes: [{ provider: 'mock', model: 'mock-smart' }] } } },
    };
    expect(key({ config: runtimeOnly })).toBe(key());
    expect(key({ recipe: { ...nodeRecipe, warnings: ['something'] } })).toBe(key());
  });

  it.each(['', 'abc', 'g'.repeat(40), 'a'.repeat(39)])('refuses %j as a commit id', (commitSha) => {
    expect(() => key({ commitSha })).toThrow(/not a full commit id/);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[2,{"z":1}]},"b":1}',
    );
  });
});
