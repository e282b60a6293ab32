// The platform's base images, built locally because no registry is reachable here: a rootfs
// of this machine's /usr/bin/node (+ the libraries ldd lists) and busybox, imported with
// `docker import`. In the real world the same names (configurable) resolve to registry images.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { capture, which } from './system.mjs';

export const baseImageNames = (env = process.env) => ({
  // The per-major Node images replace this one in the next commit; until then :24 holds this machine's node.
  node: (env.SLIPWAY_BASE_IMAGE_NODE || 'slipway/node:{major}').replace('{major}', '24'),
  static: env.SLIPWAY_BASE_IMAGE_STATIC || 'slipway/static:1',
});

/** Shared libraries (and the loader) a dynamic executable needs; none for a static one. */
function sharedLibraries(binary) {
  const r = capture('ldd', [binary]);
  if (r.code !== 0) return []; // "not a dynamic executable"
  return [...r.stdout.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]);
}

/** Copies a file into the rootfs at the same absolute path, following symlinks. */
function copyInto(rootfs, file, target = file) {
  const dest = path.join(rootfs, target);
  mkdirSync(path.dirname(dest), { recursive: true });
  copyFileSync(file, dest);
  chmodSync(dest, 0o755);
}

/** busybox plus its applets as symlinks, a /tmp and minimal users: enough for `sh`, `wget`, `httpd`. */
function addBusybox(rootfs, busybox) {
  copyInto(rootfs, busybox, '/bin/busybox');
  for (const lib of sharedLibraries(busybox)) copyInto(rootfs, lib);
  const applets = capture(busybox, ['--list']).stdout.split('\n').filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', path.join(rootfs, 'bin', applet));
  mkdirSync(path.join(rootfs, 'tmp'));
  chmodSync(path.join(rootfs, 'tmp'), 0o1777);
  mkdirSync(path.join(rootfs, 'etc'));
  writeFileSync(path.join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n');
  writeFileSync(path.join(rootfs, 'etc/group'), 'root:x:0:\nnogroup:x:65534:\n');
}

/** `tar -C rootfs -c . | docker import --change … - name` */
function importRootfs(rootfs, name, changes) {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const args = ['import', ...changes.flatMap((c) => ['--change', c]), '-', name];
    const docker = spawn('docker', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    docker.stderr.on('data', (d) => (err += d));
    tar.stdout.pipe(docker.stdin);
    docker.on('exit', (code) => (code === 0 ? resolve() : reject(new SetupError(`docker import ${name} failed: ${err.trim()}`))));
  });
}

const RECIPES = {
  node: {
    changes: ['ENV PATH=/usr/bin:/bin', 'WORKDIR /app', 'CMD ["node"]'],
    fill(rootfs, busybox) {
      addBusybox(rootfs, busybox);
      copyInto(rootfs, process.execPath, '/usr/bin/node');
      for (const lib of sharedLibraries(process.execPath)) copyInto(rootfs, lib);
      mkdirSync(path.join(rootfs, 'app'));
    },
  },
  static: {
    // Static sites are copied to /www and served by busybox httpd on 8080.
    changes: ['ENV PATH=/usr/bin:/bin', 'WORKDIR /www', 'EXPOSE 8080', 'CMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]'],
    fill(rootfs, busybox) {
      addBusybox(rootfs, busybox);
      mkdirSync(path.join(rootfs, 'www'));
    },
  },
};

const imageExists = (name) => capture('docker', ['image', 'inspect', '--format', '{{.Id}}', name]).code === 0;

/**
 * Creates each base image that is missing. Idempotent: two `docker image inspect` calls
 * when both exist.
 * @param {{ log: import('./log.mjs').Log, env?: NodeJS.ProcessEnv, force?: boolean }} options
 */
export async function ensureBaseImages({ log, env = process.env, force = false }) {
  const names = baseImageNames(env);
  const missing = Object.entries(names).filter(([, name]) => force || !imageExists(name));
  if (missing.length === 0) {
    log.info(`base images present: ${Object.values(names).join(', ')}`);
    return;
  }
  const busybox = which('busybox', ['/bin', '/usr/bin']);
  if (!busybox) throw new SetupError('busybox not found: install the Debian package busybox-static.');
  for (const [kind, name] of missing) {
    log.step(`creating base image ${name}`);
    const rootfs = mkdtempSync(path.join(os.tmpdir(), 'slipway-rootfs-'));
    try {
      RECIPES[kind].fill(rootfs, busybox);
      await importRootfs(rootfs, name, RECIPES[kind].changes);
    } finally {
      rmSync(rootfs, { recursive: true, force: true });
    }
  }
}
