/**
 * Read-only view of the pushed commit's files. Paths are POSIX, relative to the repository
 * root, without a leading `./` (e.g. `package.json`, `public/index.html`). The build step
 * backs it with the folder `git archive` was extracted to; tests use
 * `createMemorySourceTree`.
 */
export interface SourceTree {
  /** The file's UTF-8 text, or null when there is no such file (a folder is not a file). */
  readFile(path: string): Promise<string | null>;
  /** True for a file or a folder at that path. */
  exists(path: string): Promise<boolean>;
}

/** `join('.', 'a')` → `a`; `join('app', 'Dockerfile')` → `app/Dockerfile`. */
export function joinPath(folder: string, name: string): string {
  return folder === '.' || folder === '' ? name : `${folder}/${name}`;
}

/**
 * Normalizes a repository-relative path: strips `./` and trailing slashes, collapses `//`.
 * Returns null for a path that leaves the repository (absolute, `..`) or uses backslashes.
 * The empty path and `.` both mean the repository root and normalize to `.`.
 */
export function normalizeRepoPath(input: string): string | null {
  if (input.startsWith('/') || input.includes('\\') || input.includes('\0')) return null;
  const segments = input.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.some((s) => s === '..')) return null;
  return segments.length === 0 ? '.' : segments.join('/');
}

/** True when `path` is `folder` itself or inside it (both normalized). */
export function isInside(path: string, folder: string): boolean {
  return folder === '.' || path === folder || path.startsWith(`${folder}/`);
}

/** `relativeTo('app/docker/Dockerfile', 'app')` → `docker/Dockerfile`; assumes `isInside`. */
export function relativeTo(path: string, folder: string): string {
  if (folder === '.') return path;
  return path === folder ? '.' : path.slice(folder.length + 1);
}

/** An in-memory tree for tests: `{ 'package.json': '{…}', 'public/index.html': '…' }`. */
export function createMemorySourceTree(files: Readonly<Record<string, string>>): SourceTree {
  const map = new Map(Object.entries(files));
  return {
    readFile: async (path) => map.get(path) ?? null,
    exists: async (path) => map.has(path) || [...map.keys()].some((file) => file.startsWith(`${path}/`)),
  };
}
