import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'vitest';
import { type ApiClient, signUp } from './api-client';
import { E2E } from './env';
import { git, remoteUrl } from './git';

/**
 * A tenant as an attacker is one: signs up, creates projects, gets a deploy token and pushes
 * with the real git client. Everything an attack test does goes through the same doors.
 */
export async function attacker(name: string): Promise<{ client: ApiClient; org: string; token: string; project(name: string): Promise<Project> }> {
  const { client, session } = await signUp(name);
  const org = session.organizations[0]!.slug;
  const token = (await client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token as string;
  return {
    client,
    org,
    token,
    async project(projectName: string) {
      const created = await client.post(`/api/v1/orgs/${org}/projects`, { name: projectName });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const path = `/api/v1/orgs/${org}/projects/${projectName}`;
      return {
        host: new URL(created.body.environments[0].url).hostname,
        remote: remoteUrl(token, org, projectName),
        builds: async () => (await client.get(`${path}/builds`)).body as unknown[],
        releases: async () => (await client.get(`${path}/environments/production/releases`)).body as unknown[],
      };
    },
  };
}

export interface Project {
  /** The app's host name at the edge. */
  host: string;
  remote: string;
  builds(): Promise<unknown[]>;
  releases(): Promise<unknown[]>;
}

/** A file's content, or a symbolic link (`{ link: target }`) as `ln -s` makes it. */
export type Entry = string | Buffer | { link: string };

/** A new working copy with one commit of `entries` (paths may have folders), pushed to `branch` of `remote`. */
export async function pushCommit(remote: string, entries: Record<string, Entry>, branch = 'main'): Promise<{ code: number; out: string; sha: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-attack-'));
  for (const [path, entry] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof entry === 'object' && 'link' in entry) symlinkSync(entry.link, join(dir, path));
    else writeFileSync(join(dir, path), entry);
  }
  await git(['init', '-q', '-b', branch], dir);
  await git(['add', '-A'], dir);
  await git(['commit', '-qm', 'attack'], dir);
  const sha = (await git(['rev-parse', 'HEAD'], dir)).out.trim();
  return { ...(await git(['push', remote, branch], dir)), sha };
}

/** The branches the platform stored for a project (a refused push stores none). */
export async function remoteBranches(remote: string): Promise<string> {
  return (await git(['ls-remote', '--heads', remote])).out.trim();
}

const exec = promisify(execFile);

/** The docker CLI against the platform's engine; resolves whatever the exit code. */
export async function docker(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await exec('docker', args, { env: { PATH: E2E.path, ...(E2E.dockerHost ? { DOCKER_HOST: E2E.dockerHost } : {}) } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: typeof e.code === 'number' ? e.code : 1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

/** A local Node 20 base image for the tests' Dockerfiles: the configured one, else the older local name. */
export async function nodeBaseImage(): Promise<string> {
  const configured = (E2E.nodeBaseImage ?? 'slipway/node:{major}').replace('{major}', '20');
  for (const candidate of [configured, 'slipway/node:20', 'slipway/base-node:20']) if ((await docker(['image', 'inspect', candidate])).code === 0) return candidate;
  throw new Error(`no Node base image (${configured}) on the engine: run node tools/base-images.mjs`);
}

/** The Redis databases (0–15) in which `key` exists, asked over RESP on a plain socket. */
export function redisDatabasesWith(key: string): Promise<number[]> {
  const url = new URL(E2E.redisUrl);
  const commands = Array.from({ length: 16 }, (_, db) => `SELECT ${db}\r\nEXISTS ${key}\r\n`).join('') + 'QUIT\r\n';
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port || 6379), url.hostname, () => socket.end(url.password ? `AUTH ${decodeURIComponent(url.password)}\r\n${commands}` : commands));
    let answer = '';
    socket.setEncoding('utf8').on('data', (c: string) => (answer += c));
    socket.on('error', reject).on('close', () => {
      const counts = answer.split('\r\n').filter((l) => l.startsWith(':'));
      if (counts.length !== 16) return reject(new Error(`unexpected Redis answer: ${answer.slice(0, 200)}`));
      resolve(counts.flatMap((c, db) => (c === ':0' ? [] : [db])));
    });
  });
}
