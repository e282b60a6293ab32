// The Debian packages `npm start` and `npm test` need besides PostgreSQL, Redis and Docker
// (those are services.mjs's own checks), in one list so both commands install the same things,
// in the same apt-get call as the services. Binaries whose files go into the local base images
// (tools/lib/base-images.mjs) are needed only while the platform's own default images are
// made here; nginx is not in this list: its files are unpacked from the package without
// installing it (deb-files.mjs).

import { baseImagePlan } from './image-names.mjs';

/**
 * `for`: what needs it — an image kind made locally (see baseImagePlan), or the e2e tests.
 * @typedef {{ binary: string, package: string, for: Array<'node' | 'static' | 'relay' | 'e2e'> }} SystemPackage
 */

/** @type {SystemPackage[]} */
export const SYSTEM_PACKAGES = [
  { binary: 'busybox', package: 'busybox-static', for: ['node', 'static'] }, // sh, env, wget in the images
  { binary: 'socat', package: 'socat', for: ['relay'] },
  { binary: 'chromium', package: 'chromium', for: ['e2e'] }, // the browser tests (playwright-core)
  { binary: 'ip', package: 'iproute2', for: ['e2e'] }, // the fault tests' own Docker engine gets a bridge of its own
];

/**
 * binary → Debian package, for ensureServices({ binaries }): what the local base images of
 * `env` need, plus Chromium when the e2e tests run.
 * @param {{ env?: NodeJS.ProcessEnv, e2e?: boolean }} [options]
 */
export function requiredBinaries({ env = process.env, e2e = false } = {}) {
  const needs = new Set(baseImagePlan(env).local.map((image) => image.kind));
  if (e2e) needs.add('e2e');
  return Object.fromEntries(SYSTEM_PACKAGES.filter((p) => p.for.some((f) => needs.has(f))).map((p) => [p.binary, p.package]));
}
