import { describe, expect, it } from 'vitest';
import { baseImagePlan } from './lib/image-names.mjs';
import { newestCompatible } from './lib/node-dist.mjs';
import { maxVersion, satisfies } from './lib/semver-range.mjs';
import { requiredBinaries } from './lib/system-packages.mjs';

// Which images a machine makes itself, and which releases go into them. Making and running
// the images against the real Docker engine is in base-images.int-spec.ts.
describe('baseImagePlan', () => {
  it('makes slipway/node:20, :22, :24, slipway/static:1 and slipway/relay:1 by default', () => {
    expect(baseImagePlan({}).local.map((i) => i.name)).toEqual(['slipway/node:20', 'slipway/node:22', 'slipway/node:24', 'slipway/static:1', 'slipway/relay:1']);
    expect(baseImagePlan({}).elsewhere).toEqual([]);
  });

  it('leaves images an operator points at (a registry) alone, and still makes the default ones', () => {
    const plan = baseImagePlan({ SLIPWAY_BASE_IMAGE_NODE: 'node:{major}-bookworm-slim', SLIPWAY_RELAY_IMAGE: 'alpine/socat:1.8' });
    expect(plan.local.map((i) => i.name)).toEqual(['slipway/static:1']);
    expect(plan.elsewhere).toEqual(['node:{major}-bookworm-slim', 'alpine/socat:1.8']);
  });

  it('treats the default names spelled out as the defaults', () => {
    const plan = baseImagePlan({ SLIPWAY_BASE_IMAGE_NODE: 'slipway/node:{major}', SLIPWAY_BASE_IMAGE_STATIC: 'slipway/static:1' });
    expect(plan.local).toHaveLength(5);
  });
});

describe('requiredBinaries', () => {
  it('asks for busybox and socat when the images are made here, chromium and iproute2 only for e2e', () => {
    expect(requiredBinaries({ env: {} })).toEqual({ busybox: 'busybox-static', socat: 'socat' });
    expect(requiredBinaries({ env: {}, e2e: true })).toEqual({ busybox: 'busybox-static', socat: 'socat', chromium: 'chromium', ip: 'iproute2' });
  });

  it('asks for nothing the registry images of an operator make unnecessary', () => {
    const env = { SLIPWAY_BASE_IMAGE_NODE: 'node:{major}-slim', SLIPWAY_BASE_IMAGE_STATIC: 'nginx:1-alpine', SLIPWAY_RELAY_IMAGE: 'alpine/socat' };
    expect(requiredBinaries({ env })).toEqual({});
  });
});

describe('newestCompatible', () => {
  // As on the registry in 2026-12: corepack 0.36 dropped Node 20.
  const corepack = [
    { version: '0.34.7', engines: '^20.10.0 || ^22.11.0 || >=24.0.0' },
    { version: '0.36.0', engines: '^22.22.2 || ^24.15.0 || >=26.0.0' },
    { version: '0.35.0', engines: '^22.22.2 || ^24.15.0 || >=26.0.0' },
    { version: '0.8.0', engines: '' },
  ];

  it("picks the newest release whose engines accept the image's Node", () => {
    expect(newestCompatible(corepack, '20.20.2')).toBe('0.34.7');
    expect(newestCompatible(corepack, '24.22.3')).toBe('0.36.0');
    expect(newestCompatible(corepack, '22.11.0')).toBe('0.34.7'); // 0.36 wants ^22.22.2
  });

  it('compares versions as numbers, not text (20.20.2 is newer than 20.8.0)', () => {
    expect(newestCompatible([{ version: '20.20.2', engines: '' }, { version: '20.8.0', engines: '' }], null)).toBe('20.20.2');
    expect(maxVersion(['20.9.0', '20.10.0', '21.0.0-rc.1'])).toBe('20.10.0');
  });
});

describe('satisfies', () => {
  it.each([
    ['20.17.0', '^20.17.0 || >=22.9.0', true],
    ['20.16.9', '^20.17.0 || >=22.9.0', false],
    ['22.8.0', '^20.17.0 || >=22.9.0', false],
    ['24.0.0', '^20.17.0 || >=22.9.0', true],
    ['18.20.0', '>=18 <19', true],
    ['19.0.0', '>=18 <19', false],
    ['22.5.1', '~22.5.0', true],
    ['22.6.0', '~22.5.0', false],
    ['20.1.0', '20.x', true],
    ['0.3.1', '^0.3.0', true],
    ['0.4.0', '^0.3.0', false],
    ['1.2.3', '*', true],
    ['1.2.3', '', true],
    ['1.2.3', '1.2.3', true],
    ['1.2.4', '<=1.2.3', false],
  ])('%s in %s: %s', (version, range, expected) => {
    expect(satisfies(version, range)).toBe(expected);
  });

  it('refuses a range it cannot read rather than guessing', () => {
    expect(() => satisfies('1.0.0', '1.0.0 - 2.0.0')).toThrow(/unsupported version range/);
  });
});
