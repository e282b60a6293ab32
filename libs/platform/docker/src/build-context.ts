import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-fs';
import { BuildFailedError } from './docker.errors';

/**
 * The build context as a tar stream, the way the Docker CLI sends it: `.dockerignore` applies
 * to everything except the Dockerfile and `.dockerignore` themselves, which the engine needs
 * even when a repository ignores them (many do, and generated Dockerfiles do).
 *
 * The folder is a tenant's commit: links are packed as links (`dereference: false`, lstat), so
 * nothing outside the folder ever enters the stream; the engine resolves them inside the context.
 */
export async function packBuildContext(contextDir: string, dockerfile: string): Promise<Readable> {
  const rules = await readIgnoreFile(contextDir);
  const keep = rules ? dockerignore({ ignorecase: false }).add(rules).createFilter() : null;
  const always = new Set([dockerfile.split(sep).join('/'), '.dockerignore']);
  return tar.pack(contextDir, {
    dereference: false,
    ignore: (name: string) => {
      if (!keep) return false;
      const path = relative(contextDir, name).split(sep).join('/');
      return path !== '' && !always.has(path) && !keep(path);
    },
  }) as unknown as Readable;
}

/** `.dockerignore`, followed only when it is a link to a file inside the context. */
async function readIgnoreFile(contextDir: string): Promise<string | null> {
  let path = join(contextDir, '.dockerignore');
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code !== 'ELOOP') throw err;
    const target = await realpath(path).catch(() => null);
    if (target === null) return null; // a dangling link: no rules, as with no file
    path = target;
    if (!path.startsWith((await realpath(contextDir)) + sep)) throw new BuildFailedError('.dockerignore is a symbolic link that leads outside the build context; commit it as a regular file.');
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
