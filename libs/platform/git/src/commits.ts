import { execFile, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { childProcessEnv } from '@slipway/config';

const run = promisify(execFile);

export interface CommitInfo {
  sha: string;
  authorName: string;
  authorEmail: string;
  message: string;
}

const git = (repositoryPath: string, args: string[], env: Record<string, string> = {}) =>
  run('git', ['--git-dir', repositoryPath, ...args], { env: { ...childProcessEnv(), ...env }, maxBuffer: 16 * 1024 * 1024 });

/**
 * Extra environment for reading objects a push has not committed yet: inside a pre-receive
 * hook git keeps the new objects in a quarantine directory named by these variables.
 */
export type ObjectEnv = Partial<Record<'GIT_OBJECT_DIRECTORY' | 'GIT_ALTERNATE_OBJECT_DIRECTORIES' | 'GIT_QUARANTINE_PATH', string>>;

/** Author, subject line and full sha of a commit. */
export async function readCommit(repositoryPath: string, rev: string, objects: ObjectEnv = {}): Promise<CommitInfo> {
  const { stdout } = await git(repositoryPath, ['log', '-1', '--format=%H%x00%an%x00%ae%x00%s', rev, '--'], objects as Record<string, string>);
  const [sha, authorName, authorEmail, message] = stdout.trimEnd().split('\0');
  if (!sha) throw new Error(`commit ${rev} not found`);
  return { sha, authorName: authorName ?? '', authorEmail: authorEmail ?? '', message: message ?? '' };
}

/**
 * Writes the tree of `rev` into `destination` (git archive | tar -x), the exact files of the
 * commit with nothing from a working copy.
 */
export async function extractCommit(repositoryPath: string, rev: string, destination: string, objects: ObjectEnv = {}): Promise<void> {
  await mkdir(destination, { recursive: true });
  const env = { ...childProcessEnv(), ...(objects as Record<string, string>) };
  await new Promise<void>((resolve, reject) => {
    const archive = spawn('git', ['--git-dir', repositoryPath, 'archive', '--format=tar', rev], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tar = spawn('tar', ['-x', '-C', destination], { stdio: ['pipe', 'ignore', 'pipe'] });
    let errors = '';
    archive.stderr.on('data', (c: Buffer) => (errors += c.toString()));
    tar.stderr.on('data', (c: Buffer) => (errors += c.toString()));
    archive.stdout.pipe(tar.stdin);
    let pending = 2;
    const done = (code: number | null) => {
      if (code !== 0) return reject(new Error(`git archive ${rev} failed: ${errors.trim() || `exit ${code}`}`));
      if (--pending === 0) resolve();
    };
    archive.on('error', reject).on('close', done);
    tar.on('error', reject).on('close', done);
  });
}
