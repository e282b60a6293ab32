import { access, readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { SourceTree } from './recipe';

/** A checked-out commit on disk as the recipe's SourceTree; paths cannot escape the folder. */
export function sourceFolder(root: string): SourceTree {
  const inside = (path: string) => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + sep)) throw new Error(`path escapes the source tree: ${path}`);
    return full;
  };
  return {
    async readFile(path) {
      try {
        return await readFile(inside(path), 'utf8');
      } catch {
        return null;
      }
    },
    async exists(path) {
      try {
        await access(inside(path));
        return true;
      } catch {
        return false;
      }
    },
  };
}
