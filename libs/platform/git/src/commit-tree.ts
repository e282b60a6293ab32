import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { childProcessEnv } from '@slipway/config';
import type { ObjectEnv } from './commits';

/** `file` (mode 100644/100755), `symlink` (120000) or `submodule` (a gitlink, 160000: not part of an archive). */
export type TreeEntryKind = 'file' | 'symlink' | 'submodule';

export interface TreeEntry {
  /**
   * Path from the repository root, one character per byte (`latin1`): git paths are bytes, and
   * decoding them as UTF-8 would map different names to the same string. Show it to people with
   * `displayPath`.
   */
  path: string;
  kind: TreeEntryKind;
  objectId: string;
  /** Bytes of the blob; 0 for a submodule. */
  size: number;
}

/** A git path (latin1-held bytes) as people read it: UTF-8, control characters escaped. */
export function displayPath(bytes: string): string {
  // eslint-disable-next-line no-control-regex
  return Buffer.from(bytes, 'latin1').toString('utf8').replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const gitProcess = (repositoryPath: string, args: string[], objects: ObjectEnv): ChildProcessWithoutNullStreams =>
  spawn('git', ['--git-dir', repositoryPath, ...args], { env: { ...childProcessEnv(), ...(objects as Record<string, string>) }, stdio: ['pipe', 'pipe', 'pipe'] });

/**
 * Every blob and gitlink of the tree of `rev`, read from git objects (`git ls-tree -r -l -z
 * --full-tree`) as they stream: nothing is checked out, and a caller that stops early (a
 * `break`) ends the git process. Works on the objects of a push still in quarantine when given
 * the hook's `objects`. Linear in the size of the listing.
 */
export async function* listTree(repositoryPath: string, rev: string, objects: ObjectEnv = {}): AsyncGenerator<TreeEntry> {
  const git = gitProcess(repositoryPath, ['ls-tree', '-r', '-l', '-z', '--full-tree', rev], objects);
  git.stdin.end();
  let stderr = '';
  git.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
  const exited = new Promise<number | null>((resolve, reject) => git.on('error', reject).on('close', resolve));
  exited.catch(() => undefined); // observed below; never an unhandled rejection when the caller stops early
  let rest: Buffer = Buffer.alloc(0);
  let finished = false;
  try {
    for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
      // Only the unfinished record is carried over, so the work stays linear.
      const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      let end: number;
      while ((end = data.indexOf(0, start)) >= 0) {
        yield parseRecord(data.toString('latin1', start, end));
        start = end + 1;
      }
      rest = data.subarray(start);
    }
    const code = await exited;
    if (code !== 0) throw new Error(`git ls-tree ${rev} failed: ${stderr.trim() || `exit ${code}`}`);
    if (rest.length) throw new Error(`git ls-tree ${rev}: output ended inside a record`);
    finished = true;
  } finally {
    if (!finished) git.kill('SIGKILL');
  }
}

/** `<mode> SP <type> SP <object> SP+ <size> TAB <path>` */
function parseRecord(record: string): TreeEntry {
  const tab = record.indexOf('\t');
  const [mode, , objectId, size] = record.slice(0, tab).split(/ +/);
  if (tab < 0 || !mode || !objectId || size === undefined) throw new Error(`git ls-tree: unexpected record ${JSON.stringify(record.slice(0, 200))}`);
  const path = record.slice(tab + 1);
  if (mode === '160000') return { path, kind: 'submodule', objectId, size: 0 };
  return { path, kind: mode === '120000' ? 'symlink' : 'file', objectId, size: Number(size) };
}

/**
 * The contents of some small blobs (e.g. symlink targets), through one `git cat-file --batch`.
 * Ids must name blobs no larger than `maxBytesEach` (the caller knows their sizes from
 * `listTree`); the answer is parsed as it streams, holding at most one blob beyond the result.
 */
export async function readBlobs(repositoryPath: string, ids: readonly string[], maxBytesEach: number, objects: ObjectEnv = {}): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const wanted = [...new Set(ids)];
  if (!wanted.length) return result;
  const git = gitProcess(repositoryPath, ['cat-file', '--batch'], objects);
  git.stdin.on('error', () => undefined); // git exiting early is reported by its exit code
  git.stdin.end(`${wanted.join('\n')}\n`);
  let stderr = '';
  git.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-2000)));
  const exited = new Promise<number | null>((resolve, reject) => git.on('error', reject).on('close', resolve));
  let pending: Buffer = Buffer.alloc(0);
  let fault: Error | null = null;
  for await (const chunk of git.stdout as AsyncIterable<Buffer>) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    for (;;) {
      const nl = pending.indexOf(10);
      if (nl < 0) break;
      const [id, type, sizeText] = pending.toString('latin1', 0, nl).split(' ');
      if (type === 'missing' || !id || !sizeText) {
        fault ??= new Error(`git cat-file: object ${id ?? '?'} is missing`);
        pending = pending.subarray(nl + 1);
        continue;
      }
      const size = Number(sizeText);
      if (type !== 'blob' || !(size <= maxBytesEach)) fault ??= new Error(`git cat-file: ${id} is a ${type} of ${size} bytes, not a blob of at most ${maxBytesEach}`);
      if (pending.length < nl + 1 + size + 1) break; // the rest of this blob is still coming
      result.set(id, Buffer.from(pending.subarray(nl + 1, nl + 1 + size)));
      pending = pending.subarray(nl + 1 + size + 1);
    }
    if (fault) {
      git.kill('SIGKILL');
      break;
    }
  }
  const code = await exited;
  if (fault) throw fault;
  if (code !== 0) throw new Error(`git cat-file failed: ${stderr.trim() || `exit ${code}`}`);
  return result;
}

/** True when `rev` names a commit or a tag of one (tags may also point at trees or blobs). */
export async function isCommitish(repositoryPath: string, rev: string, objects: ObjectEnv = {}): Promise<boolean> {
  const git = gitProcess(repositoryPath, ['cat-file', '-e', `${rev}^{commit}`], objects);
  git.stdin.end();
  git.stdout.resume();
  git.stderr.resume();
  return new Promise((resolve, reject) => git.on('error', reject).on('close', (code) => resolve(code === 0)));
}
