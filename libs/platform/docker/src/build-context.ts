import { readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-fs';

/**
 * The build context as a tar stream, the way the Docker CLI sends it: `.dockerignore` applies
 * to everything except the Dockerfile and `.dockerignore` themselves, which the engine needs
 * even when a repository ignores them (many do, and generated Dockerfiles do).
 */
export async function packBuildContext(contextDir: string, dockerfile: string): Promise<Readable> {
  const rules = await readFile(join(contextDir, '.dockerignore'), 'utf8').catch(() => null);
  const keep = rules ? dockerignore({ ignorecase: false }).add(rules).createFilter() : null;
  const always = new Set([dockerfile.split(sep).join('/'), '.dockerignore']);
  return tar.pack(contextDir, {
    ignore: (name: string) => {
      if (!keep) return false;
      const path = relative(contextDir, name).split(sep).join('/');
      return path !== '' && !always.has(path) && !keep(path);
    },
  }) as unknown as Readable;
}
