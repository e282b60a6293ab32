import { beforeAll, describe, expect, it } from 'vitest';
import { attacker, pushCommit, remoteBranches, type Entry, type Project } from '../support/attacker';
import { getViaEdge } from '../support/edge';
import { E2E } from '../support/env';

const FIX = 'Links must point inside the repository: commit the file itself, or a relative link to a file of the repository.';

/**
 * Symbolic links committed to reach the host: each push is refused before anything is
 * stored or built, naming the link and its target; the app serves nothing of the host.
 */
describe('attack: symbolic links to the host', () => {
  let tenant: Awaited<ReturnType<typeof attacker>>;
  let n = 0;

  beforeAll(async () => {
    tenant = await attacker('LinkAttacker');
  });

  /** Pushes `entries` to a new project; asserts the refusal and that nothing was kept. */
  async function refused(entries: Record<string, Entry>, message: string): Promise<Project> {
    const project = await tenant.project(`links-${++n}`);
    const push = await pushCommit(project.remote, entries);
    expect(push.code, push.out).not.toBe(0);
    expect(push.out).toContain(`remote: Push refused: main (${push.sha.slice(0, 7)}): ${message}`);
    expect(push.out).toContain('remote: Nothing was built or deployed.');
    expect(push.out).toContain('[remote rejected] main -> main (pre-receive hook declined)');
    expect(await remoteBranches(project.remote)).toBe('');
    expect(await project.builds()).toEqual([]);
    expect(await project.releases()).toEqual([]);
    return project;
  }

  it('index.html -> /etc/passwd: refused, and the app host serves nothing of the host', async () => {
    const project = await refused({ 'index.html': { link: '/etc/passwd' } }, `index.html is a symbolic link to /etc/passwd, an absolute path outside the repository. ${FIX}`);
    const page = await getViaEdge(project.host);
    expect(page.status).not.toBe(200);
    expect(page.body).not.toMatch(/root:.*:0:0:/);
  });

  it('links named like generated files (.slipway.Dockerfile, .dockerignore) to the master key: refused', async () => {
    const app = { 'package.json': JSON.stringify({ name: 'x', scripts: { start: 'node server.js' } }), 'server.js': '' };
    await refused({ ...app, '.slipway.Dockerfile': { link: E2E.masterKeyFile } }, `.slipway.Dockerfile is a symbolic link to ${E2E.masterKeyFile}, an absolute path outside the repository.`);
    await refused({ ...app, '.dockerignore': { link: E2E.masterKeyFile } }, `.dockerignore is a symbolic link to ${E2E.masterKeyFile}, an absolute path outside the repository.`);
  });

  it('build.context through a link to /: refused', async () => {
    await refused({ 'slipway.yaml': 'build:\n  context: ctx\n', ctx: { link: '/' } }, `ctx is a symbolic link to /, an absolute path outside the repository. ${FIX}`);
  });

  it('a link through a link (a -> d/up/.., d/up -> ..) that looks harmless on its own: refused', async () => {
    await refused(
      { 'index.html': '<h1>hi</h1>', 'd/up': { link: '..' }, assets: { link: 'd/up/../etc' } },
      `assets is a symbolic link to d/up/../etc, which leads outside the repository (resolved through the links of the commit). ${FIX}`,
    );
  });

  it('links that stay inside the repository are accepted (to a branch no environment deploys)', async () => {
    const project = await tenant.project('links-inside');
    const push = await pushCommit(project.remote, { 'dist/index.html': '<h1>inside</h1>\n', public: { link: 'dist' }, 'd/up': { link: '..' }, 'd/home': { link: 'up/dist/index.html' } }, 'feature');
    expect(push.code, push.out).toBe(0);
    expect(push.out).toContain('remote: No environment follows branch feature: nothing was deployed.');
    expect(await remoteBranches(project.remote)).toContain('refs/heads/feature');
  });
});
