import { constants } from 'node:fs';
import { lstat, mkdir, open, readFile, realpath, rm } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { normalizeRepoPath, type SourceTree } from './recipe';

/**
 * The extracted commit is the tenant's: any entry in it may be a symbolic link, and the
 * worker must never read or write the host through one. Pushes are checked for links leading
 * out (checkCommitSource), and everything here holds on its own as well, so a commit that got
 * past that check (pushed before it existed, or a bug) still cannot reach the host.
 *
 * Nothing but the worker itself writes to the folder while a build runs (build steps see only
 * the tar stream of it), so checking an entry and then using it is not a race anyone can run.
 */
export class UnsafeSourceError extends Error {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeSourceError';
  }
}

const NOT_THERE = new Set(['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG']);
const errno = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code ?? '';

/**
 * A checked-out commit on disk as the recipe's SourceTree. Reads follow a link only when it
 * resolves to a file inside the folder (`public -> dist` works); a link leading out is an
 * UnsafeSourceError, never read.
 */
export function sourceFolder(root: string): SourceTree {
  let realRoot: Promise<string> | null = null;
  /** The real path of `path` inside the folder, null when nothing is there. */
  const locate = async (path: string): Promise<string | null> => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + sep)) throw new UnsafeSourceError(`The path ${path} leads outside the repository.`);
    realRoot ??= realpath(root);
    const base = await realRoot;
    let real: string;
    try {
      real = await realpath(full);
    } catch (err) {
      if (NOT_THERE.has(errno(err))) return null;
      throw err;
    }
    if (real !== base && !real.startsWith(base + sep)) throw new UnsafeSourceError(`${path} is a symbolic link that leads outside the repository; Slipway does not follow it.`);
    return real;
  };
  return {
    async readFile(path) {
      const real = await locate(path);
      if (!real) return null;
      try {
        return await readFile(real, 'utf8');
      } catch (err) {
        if (errno(err) === 'EISDIR' || NOT_THERE.has(errno(err))) return null;
        throw err;
      }
    },
    async exists(path) {
      return (await locate(path)) !== null;
    },
  };
}

/**
 * The build context folder (`build.context` of slipway.yaml, relative to the source folder) as
 * an absolute path, once every folder on the way is known to be a real folder: not a symbolic
 * link, not reached through one. `.` is the source folder itself.
 */
export async function checkedContextFolder(sourceDir: string, context: string): Promise<string> {
  const normalized = normalizeRepoPath(context);
  if (normalized === null) throw new UnsafeSourceError(`build.context "${context}" must be a relative path inside the repository.`);
  let dir = sourceDir;
  await assertRealFolder(dir, 'The source folder');
  if (normalized === '.') return dir;
  const names = normalized.split('/');
  for (let i = 0; i < names.length; i++) {
    dir = join(dir, names[i]!);
    const prefix = names.slice(0, i + 1).join('/');
    await assertRealFolder(dir, i === names.length - 1 ? `build.context "${normalized}"` : `The folder ${prefix}, on the way to build.context "${normalized}",`);
  }
  return dir;
}

/**
 * Writes a file the build generates (Dockerfile, .dockerignore, a server config, a CA bundle)
 * into the context as a new regular file, whatever the commit put at that path: a link there is
 * removed, never written through, and so is a file or folder. Folders on the way are created
 * when missing; one that is a symbolic link (or a file) is refused, as is a `contextDir` that is
 * a link itself.
 */
export async function writeGeneratedFile(contextDir: string, relativePath: string, content: string | Uint8Array): Promise<void> {
  const normalized = normalizeRepoPath(relativePath);
  if (normalized === null || normalized === '.') throw new Error(`writeGeneratedFile: ${relativePath} is not a file path inside the context`);
  const names = normalized.split('/');
  const file = names.pop()!;
  let dir = contextDir;
  await assertRealFolder(dir, `The build context, where Slipway writes ${normalized},`);
  for (let i = 0; i < names.length; i++) {
    dir = join(dir, names[i]!);
    try {
      await mkdir(dir); // never follows: an existing entry of any kind is EEXIST
      continue;
    } catch (err) {
      if (errno(err) !== 'EEXIST') throw err;
    }
    await assertRealFolder(dir, `The folder ${names.slice(0, i + 1).join('/')}, where Slipway writes ${normalized},`);
  }
  const path = join(dir, file);
  // rm removes a link itself (and a folder without following links inside it).
  await rm(path, { recursive: true, force: true });
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

/** lstat, so the entry itself is judged, never what a link points at. `what` names it in the message. */
async function assertRealFolder(path: string, what: string): Promise<void> {
  let entry;
  try {
    entry = await lstat(path);
  } catch (err) {
    if (NOT_THERE.has(errno(err))) throw new UnsafeSourceError(`${what} does not exist in this commit.`);
    throw err;
  }
  if (entry.isSymbolicLink()) throw new UnsafeSourceError(`${what} is a symbolic link; Slipway reads and writes only real folders of the repository there.`);
  if (!entry.isDirectory()) throw new UnsafeSourceError(`${what} is a file, not a folder.`);
}
