// Files of a Debian package without installing it: `apt-get download` + `dpkg-deb -x` into
// .slipway/cache/. Used for nginx, whose files go into the static base image only: installing
// the package would also enable and start a system-wide nginx on port 80 (systemd hosts).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SetupError } from './log.mjs';
import { capture, isRoot, which } from './system.mjs';

/**
 * Folder holding the unpacked files of `packages` (all in one tree, as if installed), made
 * once and reused offline afterwards.
 * @param {{ packages: string[], cacheDir: string, log: import('./log.mjs').Log }} options
 */
export function unpackedDebs({ packages, cacheDir, log }) {
  const dir = path.join(cacheDir, `deb-${packages.join('+')}`);
  if (existsSync(dir)) return dir;
  if (!which('apt-get') || !which('dpkg-deb')) {
    throw new SetupError(`${packages.join(', ')} for the local base images come from Debian's packages, and this is not Debian: point the setting of that image at a registry image (infra/README.md, "Base images").`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const tmp = mkdtempSync(path.join(cacheDir, '.deb-'));
  try {
    log.info(`downloading the Debian packages ${packages.join(', ')} (unpacked into ${path.basename(dir)}, not installed)`);
    let r = capture('apt-get', ['download', '-qq', ...packages], { cwd: tmp });
    // A machine whose package lists were never fetched knows no package yet.
    if (r.code !== 0 && isRoot()) {
      capture('apt-get', ['update', '-qq'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
      r = capture('apt-get', ['download', '-qq', ...packages], { cwd: tmp });
    }
    if (r.code !== 0) {
      throw new SetupError(
        `apt-get download ${packages.join(' ')} failed: ${r.stderr.trim().split('\n').slice(-3).join(' ')}. Run \`sudo apt-get update\` and try again.`,
      );
    }
    const unpacked = path.join(tmp, 'root');
    for (const deb of readdirSync(tmp).filter((f) => f.endsWith('.deb'))) {
      const x = capture('dpkg-deb', ['-x', path.join(tmp, deb), unpacked]);
      if (x.code !== 0) throw new SetupError(`dpkg-deb -x ${deb} failed: ${x.stderr.trim()}`);
    }
    // Last, so a half-made folder is never taken for a finished one; a concurrent run may have won.
    try {
      renameSync(unpacked, dir);
    } catch (err) {
      if (!existsSync(dir)) throw err;
    }
    return dir;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
