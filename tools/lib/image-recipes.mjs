// What each local base image holds. The contract each one keeps (so a registry image can stand
// in for it) is written in infra/README.md, "Base images".
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { addBusybox, addRuntimeLibraries, addUsersAndTmp, copyExecutable, copyInto, extractTarball, makeDir } from './rootfs.mjs';

/** Where the CA bundle sits in the images, as on Debian (SSL_CERT_FILE and NODE_EXTRA_CA_CERTS point here). */
export const IMAGE_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';
/** The config file the static image's default command reads; the builder writes it. */
export const STATIC_NGINX_CONF = '/etc/slipway/nginx.conf';

/** The commands `corepack enable` links next to corepack. */
const COREPACK_SHIMS = ['yarn', 'yarnpkg', 'pnpm', 'pnpx'];

/**
 * Node base image: the official binary of one release at /usr/local/bin (as in the official
 * node images), npm and corepack under /usr/local/lib/node_modules with their commands linked
 * in /usr/local/bin, busybox for sh/env/wget, and the CA bundle builds must trust.
 * @param {string} rootfs
 * @param {{ busybox: string, dist: Awaited<ReturnType<typeof import('./node-dist.mjs').nodeDistribution>>, caFile: string | null }} inputs
 * @returns {string[]} the `docker import --change` instructions
 */
export function fillNodeImage(rootfs, { busybox, dist, caFile }) {
  addBusybox(rootfs, busybox);
  addUsersAndTmp(rootfs);
  makeDir(rootfs, '/home/app', 0o1777);
  makeDir(rootfs, '/home/node', 0o1777);
  // Shebangs say `#!/usr/bin/env node`.
  makeDir(rootfs, '/usr/bin');
  symlinkSync('/bin/busybox', path.join(rootfs, 'usr/bin/env'));

  const local = path.join(rootfs, 'usr/local');
  extractTarball(dist.files.node, local, { strip: 1, members: ['package/bin/node'] });
  copyExecutable(rootfs, path.join(local, 'bin/node'), '/usr/local/bin/node'); // the libraries ldd lists
  addRuntimeLibraries(rootfs);
  extractTarball(dist.files.npm, path.join(local, 'lib/node_modules/npm'), { strip: 1 });
  extractTarball(dist.files.corepack, path.join(local, 'lib/node_modules/corepack'), { strip: 1 });
  const link = (name, target) => symlinkSync(target, path.join(local, 'bin', name));
  link('npm', '../lib/node_modules/npm/bin/npm-cli.js');
  link('npx', '../lib/node_modules/npm/bin/npx-cli.js');
  link('corepack', '../lib/node_modules/corepack/dist/corepack.js');
  for (const shim of COREPACK_SHIMS) link(shim, `../lib/node_modules/corepack/dist/${shim}.js`);

  const env = [
    `NODE_VERSION=${dist.versions.node}`,
    'COREPACK_ENABLE_DOWNLOAD_PROMPT=0',
    // An app without a packageManager field gets the yarn/pnpm release this corepack knows
    // (with its hash), not whatever is newest today: reproducible builds, and no dependence
    // on registry signatures (a mirror without them fails corepack's "latest" look-up).
    'COREPACK_DEFAULT_TO_LATEST=0',
    'NPM_CONFIG_UPDATE_NOTIFIER=false', // no "new major version of npm" notice in build logs
  ];
  if (caFile) {
    copyInto(rootfs, caFile, IMAGE_CA_FILE, 0o644);
    env.push(`NODE_EXTRA_CA_CERTS=${IMAGE_CA_FILE}`, `SSL_CERT_FILE=${IMAGE_CA_FILE}`);
  }
  return [
    'ENV PATH=/usr/local/bin:/usr/bin:/bin',
    ...env.map((e) => `ENV ${e}`),
    `LABEL slipway.node.version=${dist.versions.node} slipway.npm.version=${dist.versions.npm} slipway.corepack.version=${dist.versions.corepack}`,
    'CMD ["node"]',
  ];
}

/**
 * Static-site image: nginx (from Debian's package files) + its libraries + mime.types, and
 * busybox. The builder writes STATIC_NGINX_CONF and runs nginx as uid 10001.
 * @param {string} rootfs
 * @param {{ busybox: string, nginxFiles: string }} inputs nginxFiles: the unpacked nginx + nginx-common packages
 */
export function fillStaticImage(rootfs, { busybox, nginxFiles }) {
  addBusybox(rootfs, busybox);
  addUsersAndTmp(rootfs);
  copyExecutable(rootfs, path.join(nginxFiles, 'usr/sbin/nginx'), '/usr/sbin/nginx');
  copyInto(rootfs, path.join(nginxFiles, 'etc/nginx/mime.types'), '/etc/nginx/mime.types', 0o644);
  makeDir(rootfs, path.dirname(STATIC_NGINX_CONF));
  return ['ENV PATH=/usr/local/bin:/usr/sbin:/usr/bin:/bin', `CMD ["nginx", "-e", "stderr", "-c", "${STATIC_NGINX_CONF}"]`];
}

/**
 * Gateway relay image: socat and its libraries, nothing else (no shell). It runs with a
 * read-only root filesystem, so nothing here needs to be writable.
 * @param {string} rootfs
 * @param {{ socat: string }} inputs
 */
export function fillRelayImage(rootfs, { socat }) {
  copyExecutable(rootfs, socat, '/usr/bin/socat');
  return ['ENV PATH=/usr/bin', 'CMD ["socat", "-V"]'];
}
