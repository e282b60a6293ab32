import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_URL, createProject, openBrowser, row, screenshotOnFailure, signUp, snap, visible, type BrowserSession } from '../support/browser';
import { getViaEdge } from '../support/edge';
import { commitAll, git, slowBuildDockerfile, workingCopy } from '../support/git';

/**
 * Push to deploy as a user sees it in the console: a deploy token from the push panel, the
 * build log live while the build runs, the live release and URL, and a rollback button that
 * brings the old version back. The real git client, the api, the worker, dockerd and the edge.
 * The `it` blocks share state and run in order.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const person = { name: 'Dana Deployer', email: `deployer-${run}@example.test`, password: 'correct horse battery staple', org: `Deploy ${run}` };
const slug = `ship-${run}`.slice(0, 40);
const WAIT = { timeout: 20_000, interval: 250 };
/** How long the sample's build prints lines: long enough to open its log while it runs. */
const BUILD_SECONDS = 8;

let browser: BrowserSession | undefined;
let projectPath = '';
let app = '';
let host = '';

/**
 * The working copy the first step made. Failing loudly matters: git run with an empty cwd
 * would commit into the repository the tests run from.
 */
function workingCopyDir(): string {
  if (!app) throw new Error('The first step did not create the working copy.');
  return app;
}

/** The app's answer through the edge, as a user's browser would get it. */
const answer = async () => (await getViaEdge(host)).body;

describe('console: push to deploy, live build log and rollback', () => {
  beforeAll(async () => {
    const probe = await fetch(`${CONSOLE_URL}/api/v1/auth/session`);
    if (probe.status !== 401) throw new Error(`${CONSOLE_URL}/api/v1/auth/session answered ${probe.status}, not 401: the console does not reach the api`);
    browser = await openBrowser();
  });

  screenshotOnFailure('deploy', () => [browser]);

  afterAll(async () => {
    await browser?.close();
  });

  it('creates a deploy token from the push panel and shows the commands with it', async () => {
    const page = browser!.page;
    await signUp(page, person);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    projectPath = await createProject(page, slug, slug);
    await visible(page.getByText('Nothing is live yet. Push to deploy a first release.'));

    await page.getByRole('button', { name: 'Create a deploy token' }).click();
    const token = await page.getByLabel('Deploy token', { exact: true }).inputValue();
    expect(token).toMatch(/^slp_/);
    const commands = (await page.getByLabel('Push commands').innerText()).trim().split('\n');
    expect(commands[0]).toMatch(new RegExp(`^git remote add slipway http://push:${token}@.+/git/[a-z0-9-]+/${slug}\\.git$`));
    expect(commands[1]).toBe('git push slipway main');

    // Run the commands exactly as shown.
    // RUN_ID makes the build context new on every run, so Docker cannot reuse the slow step.
    app = await workingCopy({ VERSION: 'v1\n', RUN_ID: `${run}\n`, Dockerfile: slowBuildDockerfile(BUILD_SECONDS) }, 'node-http', 'First version');
    expect((await git(commands[0]!.split(' ').slice(1), app)).code).toBe(0);
    host = new URL((await page.getByRole('link', { name: 'Live URL of production' }).getAttribute('href')) ?? '').hostname;
    await snap(page, 'deploy-token');
  });

  it('shows build log lines while the build is still running, then links to the deployment', async () => {
    const page = browser!.page;
    const push = git(['push', 'slipway', 'main'], workingCopyDir());

    // The new build shows up in the project's builds list; open its log.
    const buildLink = page.getByRole('table', { name: 'Builds' }).getByRole('link', { name: /^Build log of / }).first();
    await expect
      .poll(async () => {
        await page.goto(projectPath);
        return buildLink.waitFor({ timeout: 1_500 }).then(
          () => true,
          () => false,
        );
      }, WAIT)
      .toBe(true);
    await buildLink.click();
    await page.waitForURL(/\/builds\/[0-9a-f-]+$/);

    const log = page.getByRole('log', { name: 'Build log' });
    await visible(log.getByText(`warming up 2 of ${BUILD_SECONDS}`, { exact: true }));
    // Lines arrive while the build runs: its end is still to come.
    await visible(page.getByText('Following the build live.'));
    expect(await log.innerText()).not.toContain('Built release');
    await visible(page.getByLabel('Build status').getByText('Running'));
    await snap(page, 'build-log-live');

    const pushed = await push;
    expect(pushed.code, pushed.out).toBe(0);
    expect(pushed.out).toContain(`warming up ${BUILD_SECONDS} of ${BUILD_SECONDS}`);
    await visible(log.getByText('-----> Built release v1'));
    await visible(page.getByText('The build has finished.'));
    await visible(page.getByLabel('Build status').getByText('Succeeded'));

    await page.getByRole('link', { name: 'View deployment' }).click();
    await page.waitForURL(/\/environments\/production\/deployments\/[0-9a-f-]+$/);
    await visible(page.getByLabel('Deployment status').getByText('Succeeded'));
    await visible(page.getByRole('list', { name: 'Timeline' }).getByText('switching traffic to v1'));
    await snap(page, 'deployment');
  });

  it('shows the live release, and the app answers through the edge', async () => {
    const page = browser!.page;
    await page.goto(projectPath);
    await visible(page.getByLabel('Current release').getByText('v1', { exact: true }));
    await visible(row(page, 'Releases of production', 'v1').getByText('live'));
    await visible(row(page, 'Deployments of production', 'Deploy of v1').getByText('Succeeded'));
    expect(await answer()).toBe('node-http v1\n');
  });

  it('pushes v2, then "Roll back to v1" brings v1 back through the edge', async () => {
    const page = browser!.page;
    const dir = workingCopyDir();
    writeFileSync(join(dir, 'VERSION'), 'v2\n');
    await commitAll(dir, 'Second version');
    const pushed = await git(['push', 'slipway', 'main'], dir);
    expect(pushed.code, pushed.out).toBe(0);
    expect(await answer()).toBe('node-http v2\n');

    // No reload: the open project page polls its lists (10 s while idle, 2 s while a deployment
    // runs), so the push shows up by itself.
    await page.getByLabel('Current release').getByText('v2', { exact: true }).waitFor({ state: 'visible', timeout: 15_000 });
    await visible(row(page, 'Deployments of production', 'Deploy of v2').getByText('Succeeded'));
    await page.getByRole('button', { name: 'Roll back to v1' }).click();
    await page.getByRole('group', { name: 'Confirm: Roll back to v1' }).getByRole('button', { name: 'Roll back' }).click();

    await expect.poll(answer, WAIT).toBe('node-http v1\n');
    await visible(row(page, 'Deployments of production', 'Rollback of v1').getByText('Succeeded'));
    await visible(page.getByLabel('Current release').getByText('v1', { exact: true }));
    await snap(page, 'rolled-back');
  });
});
