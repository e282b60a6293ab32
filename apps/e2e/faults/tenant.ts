import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ApiClient } from '../support/api-client';
import { E2E } from '../support/env';

const exec = promisify(execFile);
const GIT_ENV = {
  PATH: E2E.path,
  HOME: tmpdir(),
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Faults',
  GIT_AUTHOR_EMAIL: 'faults@example.test',
  GIT_COMMITTER_NAME: 'Faults',
  GIT_COMMITTER_EMAIL: 'faults@example.test',
};

/**
 * The node-http sample behind a Dockerfile whose build step lasts BUILD_SECONDS and whose
 * container waits START_SECONDS before it listens: a fault test sets them to land its kill
 * mid-build or mid-deploy. Both files are copied last, so every commit rebuilds that step.
 */
const DOCKERFILE = [
  'ARG BASE_IMAGE=slipway/node:24',
  'FROM ${BASE_IMAGE}',
  'WORKDIR /app',
  'COPY . .',
  'RUN sleep "$(cat BUILD_SECONDS)"',
  'CMD ["sh", "-c", "sleep \\"$(cat START_SECONDS)\\" && exec node server.js"]',
  '',
].join('\n');

/** A signed-up user with a project, a deploy token, a gateway key and a working copy of the app. */
export interface Tenant {
  org: string;
  project: string;
  projectId: string;
  host: string;
  gatewayKey: string;
  push(version: string, timing?: { buildSeconds?: number; startSeconds?: number }): Promise<{ code: number; out: string }>;
}

/** `workDir`: where the working copy goes (the harness's folder, removed with it). */
export async function signUpTenant(apiUrl: string, workDir: string): Promise<Tenant> {
  const client = new ApiClient(undefined, apiUrl);
  const signup = await client.post('/api/v1/auth/signup', {
    name: 'Faults',
    email: 'faults@example.test',
    password: 'correct horse battery staple',
  });
  if (signup.status !== 201) throw new Error(`signup: ${signup.status} ${JSON.stringify(signup.body)}`);
  client.csrf = signup.body.csrfToken;
  const org: string = signup.body.organizations[0].slug;
  const created = await client.post(`/api/v1/orgs/${org}/projects`, { name: 'steady' });
  if (created.status !== 201) throw new Error(`project: ${created.status} ${JSON.stringify(created.body)}`);
  const project: string = created.body.slug;
  const token: string = (await client.post('/api/v1/tokens', { name: 'push', scopes: ['deploy'] })).body.token;
  const key = await client.post(`/api/v1/orgs/${org}/projects/${project}/gateway/keys`, { name: 'load' });
  if (key.status !== 201) throw new Error(`gateway key: ${key.status} ${JSON.stringify(key.body)}`);

  const work = mkdtempSync(join(workDir, 'app-'));
  cpSync(resolve(__dirname, '../../../libs/testing/sample-apps/node-http'), work, { recursive: true });
  writeFileSync(join(work, 'Dockerfile'), DOCKERFILE);
  await exec('git', ['init', '-q', '-b', 'main'], { cwd: work, env: GIT_ENV });
  const remote = `${apiUrl.replace('://', `://push:${token}@`)}/git/${org}/${project}.git`;

  return {
    org,
    project,
    projectId: created.body.id,
    host: new URL(created.body.environments[0].url).hostname,
    gatewayKey: key.body.token,
    async push(version, { buildSeconds = 0, startSeconds = 0 } = {}) {
      writeFileSync(join(work, 'VERSION'), `${version}\n`);
      writeFileSync(join(work, 'BUILD_SECONDS'), `${buildSeconds}\n`);
      writeFileSync(join(work, 'START_SECONDS'), `${startSeconds}\n`);
      await exec('git', ['add', '-A'], { cwd: work, env: GIT_ENV });
      await exec('git', ['commit', '-qm', version], { cwd: work, env: GIT_ENV });
      try {
        const { stdout, stderr } = await exec('git', ['push', '-q', remote, 'main'], {
          cwd: work,
          env: GIT_ENV,
          maxBuffer: 16 * 1024 * 1024,
          timeout: 180_000,
        });
        return { code: 0, out: stdout + stderr };
      } catch (err) {
        const e = err as { code: number; stdout: string; stderr: string };
        return { code: e.code || 1, out: e.stdout + e.stderr };
      }
    },
  };
}
