// Making an image without a registry: fill a folder with a root filesystem (binaries from
// this machine or from packages, plus the shared libraries `ldd` lists), then `docker import`
// it. Every file in the image is owned by root.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { capture } from './system.mjs';

/** Shared libraries (and the loader) a dynamic executable needs; none for a static one. */
export function sharedLibraries(binary) {
  const r = capture('ldd', [binary]);
  if (r.code !== 0) return []; // "not a dynamic executable"
  const missing = [...r.stdout.matchAll(/^\s*(\S+) => not found/gm)].map((m) => m[1]);
  if (missing.length)
    throw new SetupError(
      `${path.basename(binary)} needs ${missing.join(', ')}, which this machine lacks: install the Debian packages that provide them.`,
    );
  return [...r.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]);
}

/**
 * Every shared library of the C runtime packages, not only those `ldd` lists for node: the
 * native addons apps install (rollup's, esbuild's, swc's, sharp's…) link against librt,
 * libresolv, libutil, libz and friends, which node itself does not need.
 */
const RUNTIME_LIBRARY_PACKAGES = ['libc6', 'libgcc-s1', 'libstdc++6', 'zlib1g'];

export function addRuntimeLibraries(rootfs) {
  for (const pkg of RUNTIME_LIBRARY_PACKAGES) {
    const r = capture('dpkg', ['-L', pkg]);
    if (r.code !== 0) continue; // not a Debian machine, or the package is absent: ldd's list still holds
    for (const file of r.stdout.split('\n')) {
      if (/\.so(\.\d+)*$/.test(file) && /^\/(usr\/)?lib(64|x32)?\//.test(file) && !file.includes('/gconv/') && !file.includes('/audit/')) copyInto(rootfs, file);
    }
  }
}

/** Copies a file into the rootfs (at the same absolute path by default), following symlinks. */
export function copyInto(rootfs, file, target = file, mode = 0o755) {
  const dest = path.join(rootfs, target);
  mkdirSync(path.dirname(dest), { recursive: true });
  copyFileSync(file, dest);
  chmodSync(dest, mode);
}

/** An executable and the libraries it links, at `target` in the rootfs. */
export function copyExecutable(rootfs, file, target = file) {
  copyInto(rootfs, file, target);
  for (const lib of sharedLibraries(file)) copyInto(rootfs, lib);
}

/** A folder in the rootfs with an exact mode (mkdir applies the umask). */
export function makeDir(rootfs, dir, mode = 0o755) {
  const full = path.join(rootfs, dir);
  mkdirSync(full, { recursive: true });
  chmodSync(full, mode);
}

/** busybox as /bin/busybox plus its applets (sh, env, wget, …) as symlinks in /bin. */
export function addBusybox(rootfs, busybox) {
  copyExecutable(rootfs, busybox, '/bin/busybox');
  const applets = capture(busybox, ['--list']).stdout.split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', path.join(rootfs, 'bin', applet));
}

/**
 * /etc/passwd and /etc/group with root, the users the platform and common Dockerfiles run as
 * (app 10001 for generated builds, node 1000 as in the official node images) and nobody, and a
 * writable /tmp. Tools call os.userInfo(), which fails for a uid with no passwd entry.
 */
export function addUsersAndTmp(rootfs) {
  makeDir(rootfs, '/etc');
  writeFileSync(
    path.join(rootfs, 'etc/passwd'),
    [
      'root:x:0:0:root:/root:/bin/sh',
      'node:x:1000:1000:node:/home/node:/bin/sh',
      'app:x:10001:10001:app:/home/app:/bin/sh',
      'nobody:x:65534:65534:nobody:/nonexistent:/bin/false',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(rootfs, 'etc/group'), ['root:x:0:', 'node:x:1000:', 'app:x:10001:', 'nogroup:x:65534:', ''].join('\n'));
  makeDir(rootfs, '/tmp', 0o1777);
  makeDir(rootfs, '/root', 0o700);
}

/** Extracts `members` of a .tgz (all when empty) into `dir`, dropping `strip` leading path parts. */
export function extractTarball(file, dir, { strip = 0, members = [] } = {}) {
  mkdirSync(dir, { recursive: true });
  const r = capture('tar', ['-xzf', file, '-C', dir, '--no-same-owner', `--strip-components=${strip}`, ...members]);
  if (r.code !== 0) throw new SetupError(`Could not extract ${file}: ${r.stderr.trim()} (delete it to download it again).`);
}

/**
 * `tar -C rootfs -c . | docker import --change … - name`; every file root-owned, so it does
 * not matter who made the folder.
 */
export function importRootfs(rootfs, name, changes) {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '--owner=0', '--group=0', '-C', rootfs, '-c', '.'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const docker = spawn('docker', ['import', ...changes.flatMap((c) => ['--change', c]), '-', name], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let err = '';
    docker.stderr.on('data', (d) => (err += d));
    tar.stdout.pipe(docker.stdin);
    docker.on('exit', (code) => (code === 0 ? resolve() : reject(new SetupError(`docker import ${name} failed: ${err.trim()}`))));
  });
}

/**
 * The value of `label` on each of `names` that exists locally (one `docker image inspect`
 * call for all of them: it prints the ones it finds even when others are missing).
 * @returns {Map<string, string>} name → label value ('' when the image lacks the label)
 */
export function localImageLabels(names, label) {
  const r = capture('docker', ['image', 'inspect', '--format', `{{json .RepoTags}} {{index .Config.Labels "${label}"}}`, ...names]);
  const found = new Map();
  for (const line of r.stdout.split('\n').filter(Boolean)) {
    const space = line.indexOf(' ');
    const tags = JSON.parse(line.slice(0, space));
    const value = line.slice(space + 1);
    for (const name of names)
      if (tags.includes(name) || tags.includes(`${name}:latest`)) found.set(name, value === '<no value>' ? '' : value);
  }
  return found;
}
