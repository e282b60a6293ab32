// The platform's base images, made locally because no image registry is reachable here:
// slipway/node:{20,22,24} (official Node binaries, npm, corepack, busybox, the build CA),
// slipway/static:1 (nginx) and slipway/relay:1 (socat). Each is a root filesystem imported
// with `docker import`; recipes in image-recipes.mjs, the contract in infra/README.md. In the
// real world the settings name registry images instead, and nothing is made here.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SetupError, since } from './log.mjs';
import { which } from './system.mjs';
import { baseImagePlan } from './image-names.mjs';
import { nodeDistribution } from './node-dist.mjs';
import { unpackedDebs } from './deb-files.mjs';
import { fillNodeImage, fillRelayImage, fillStaticImage } from './image-recipes.mjs';
import { importRootfs, localImageLabels } from './rootfs.mjs';

export { baseImagePlan } from './image-names.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HOST_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

/**
 * Bumped when a recipe changes what an image holds: an image whose `slipway.recipe` label
 * differs (an older recipe, or another CA bundle) is made again.
 */
const RECIPE_VERSION = { node: 2, static: 1, relay: 1 };
const RECIPE_LABEL = 'slipway.recipe';

/** The CA bundle the Node images trust: SLIPWAY_BUILD_CA_FILE, else the host's, else none. */
export function buildCaFile(env, root = ROOT) {
  if (env.SLIPWAY_BUILD_CA_FILE) {
    const file = path.resolve(root, env.SLIPWAY_BUILD_CA_FILE);
    if (!existsSync(file))
      throw new SetupError(
        `SLIPWAY_BUILD_CA_FILE=${env.SLIPWAY_BUILD_CA_FILE}: no such file. Point it at a PEM bundle, or unset it to use ${HOST_CA_FILE}.`,
      );
    return file;
  }
  return existsSync(HOST_CA_FILE) ? HOST_CA_FILE : null;
}

/** The recipe label an up-to-date image of `kind` carries. */
function recipeFingerprint(kind, caFile) {
  if (kind !== 'node') return String(RECIPE_VERSION[kind]);
  const ca = caFile ? createHash('sha256').update(readFileSync(caFile)).digest('hex').slice(0, 12) : 'no-ca';
  return `${RECIPE_VERSION.node}-${ca}`;
}

/** A binary the recipes copy from this machine (services.mjs installs it: see system-packages.mjs). */
function hostBinary(name, pkg) {
  const found = which(name, ['/bin', '/usr/bin']);
  if (!found)
    throw new SetupError(`${name} not found: install the Debian package ${pkg} (npm start and npm test do so as root on Debian).`);
  return found;
}

/**
 * Makes each local base image that is missing or out of date (see RECIPE_VERSION). When all
 * are there it costs one `docker image inspect`. Downloads are cached in <stateDir>/cache, so
 * making the images again later needs no network.
 * @param {{ log: import('./log.mjs').Log, env?: NodeJS.ProcessEnv, force?: boolean, root?: string, stateDir?: string }} options
 */
export async function ensureBaseImages({ log, env = process.env, force = false, root = ROOT, stateDir = path.join(root, '.slipway') }) {
  const { local, elsewhere } = baseImagePlan(env);
  if (elsewhere.length) log.info(`base images from your settings, not made here: ${elsewhere.join(', ')}`);
  if (!local.length) return;
  const caFile = buildCaFile(env, root);
  const labels = localImageLabels(
    local.map((i) => i.name),
    RECIPE_LABEL,
  );
  const todo = local.filter((i) => force || labels.get(i.name) !== recipeFingerprint(i.kind, caFile));
  if (!todo.length) {
    log.info(`base images present: ${local.map((i) => i.name).join(', ')}`);
    return;
  }

  const cacheDir = path.join(stateDir, 'cache', 'base-images');
  const needs = new Set(todo.map((i) => i.kind));
  const busybox = needs.has('node') || needs.has('static') ? hostBinary('busybox', 'busybox-static') : '';
  const socat = needs.has('relay') ? hostBinary('socat', 'socat') : '';
  // Downloads first, in parallel (they wait on the network); the imports then run one by one.
  const dists = new Map(
    await Promise.all(
      todo.filter((i) => i.kind === 'node').map(async (i) => [i.name, await nodeDistribution({ major: i.major, cacheDir, log })]),
    ),
  );
  const nginxFiles = needs.has('static') ? unpackedDebs({ packages: ['nginx', 'nginx-common'], cacheDir, log }) : '';

  for (const image of todo) {
    const t = performance.now();
    const rootfs = mkdtempSync(path.join(os.tmpdir(), 'slipway-rootfs-'));
    try {
      let changes;
      if (image.kind === 'node') changes = fillNodeImage(rootfs, { busybox, dist: dists.get(image.name), caFile });
      else if (image.kind === 'static') changes = fillStaticImage(rootfs, { busybox, nginxFiles });
      else changes = fillRelayImage(rootfs, { socat });
      const what = image.kind === 'node' ? ` (Node ${dists.get(image.name).versions.node})` : '';
      log.step(`creating base image ${image.name}${what}`);
      await importRootfs(rootfs, image.name, [...changes, `LABEL ${RECIPE_LABEL}=${recipeFingerprint(image.kind, caFile)}`]);
      log.info(`${image.name}: done (${since(t)})`);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  }
}
