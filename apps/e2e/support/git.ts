import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { API_URL } from './api-client';
import { E2E } from './env';

const exec = promisify(execFile);
const ENV = { PATH: E2E.path, HOME: tmpdir(), GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'E2E', GIT_AUTHOR_EMAIL: 'e2e@example.test', GIT_COMMITTER_NAME: 'E2E', GIT_COMMITTER_EMAIL: 'e2e@example.test' };

/** Runs the real git client; resolves with its output whatever the exit code. */
export async function git(args: string[], cwd?: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('git', args, { cwd, env: ENV, maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

export const remoteUrl = (token: string, org: string, project: string) => `${API_URL.replace('://', `://push:${token}@`)}/git/${org}/${project}.git`;

/** A working copy with one commit of the given files (and, optionally, a sample app's files first). */
export async function workingCopy(files: Record<string, string | Buffer>, sample?: string, message = 'first'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-push-'));
  if (sample) cpSync(join(__dirname, '../../../libs/testing/sample-apps', sample), dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  await git(['init', '-q', '-b', 'main'], dir);
  await commitAll(dir, message);
  return dir;
}

export async function commitAll(dir: string, message: string): Promise<void> {
  await git(['add', '-A'], dir);
  await git(['commit', '-qm', message], dir);
}

/**
 * A Dockerfile for the node-http sample whose build prints a line a second for `seconds`
 * seconds, so a test can watch a build's log while it still runs. It comes after `COPY . .`,
 * so every new commit rebuilds it.
 */
export function slowBuildDockerfile(seconds = 6): string {
  return [
    'ARG BASE_IMAGE=slipway/node:24',
    'FROM ${BASE_IMAGE}',
    'WORKDIR /app',
    'COPY . .',
    `RUN for i in $(seq 1 ${seconds}); do echo "warming up $i of ${seconds}"; sleep 1; done`,
    'CMD ["node", "server.js"]',
    '',
  ].join('\n');
}
