import { MASK } from '@slipway/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_URL,
  hidden,
  logIn,
  openBrowser,
  row,
  screenshotOnFailure,
  signUp,
  snap,
  visible,
  type BrowserSession,
} from '../support/browser';

/**
 * Walks the console as its users would: an owner sets up a project, its environments,
 * variables and tokens; a viewer joins through an invitation; a stranger finds nothing.
 * The `it` blocks share state and run in order.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const PASSWORD = 'correct horse battery staple';
const owner = { name: 'Olivia Owner', email: `owner-${run}@example.test`, password: PASSWORD, org: `Acme ${run}` };
const viewer = { name: 'Victor Viewer', email: `viewer-${run}@example.test`, password: PASSWORD };
const stranger = { name: 'Sam Stranger', email: `stranger-${run}@example.test`, password: PASSWORD };
const WAIT = { timeout: 10_000, interval: 100 };

let ownerBrowser: BrowserSession | undefined;
let viewerBrowser: BrowserSession | undefined;
let strangerBrowser: BrowserSession | undefined;
let orgSlug = '';
let projectPath = '';
let stagingPath = '';
let invitePath = '';

describe('console', () => {
  beforeAll(async () => {
    // Fail with the cause, not 6 timeouts, when the console's /api rewrite reaches no api.
    // Next bakes rewrites into the build: API_INTERNAL_URL must be set when `next build` runs.
    const probe = await fetch(`${CONSOLE_URL}/api/v1/auth/session`);
    if (probe.status !== 401) {
      throw new Error(
        `${CONSOLE_URL}/api/v1/auth/session answered ${probe.status}, not 401: the console does not reach the api (was it built with API_INTERNAL_URL?)`,
      );
    }
    ownerBrowser = await openBrowser();
  });

  screenshotOnFailure('', () => [ownerBrowser, viewerBrowser, strangerBrowser]);

  afterAll(async () => {
    await Promise.all([ownerBrowser?.close(), viewerBrowser?.close(), strangerBrowser?.close()]);
  });

  it('signs up and creates a project with a staging environment', async () => {
    const page = ownerBrowser!.page;
    await signUp(page, owner);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    orgSlug = new URL(page.url()).pathname.split('/')[2]!;
    await visible(page.getByRole('heading', { name: 'Projects', level: 1 }));
    await visible(page.getByRole('button', { name: 'Switch organization' }).getByText(owner.org));

    // The slug follows the name as the user types.
    await page.getByLabel('Project name').fill('Web App');
    await expect.poll(() => page.getByLabel('Project slug').inputValue(), WAIT).toBe('web-app');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/web-app$/);
    projectPath = new URL(page.url()).pathname;
    await visible(page.getByRole('heading', { name: 'Web App', level: 1 }));
    await visible(page.getByText('web-app', { exact: true }).first());
    const remote = await page.getByLabel('Git remote URL', { exact: true }).inputValue();
    expect(remote).toMatch(new RegExp(`/git/${orgSlug}/web-app\\.git$`));
    await visible(page.getByLabel('Push commands').getByText(`git remote add slipway ${remote}`));
    await visible(page.getByLabel('Push commands').getByText('git push slipway main'));
    await visible(row(page, 'Environments', 'production').first());

    await page.getByRole('button', { name: 'Add environment' }).click();
    const form = page.getByRole('form', { name: 'Add environment' });
    await form.getByLabel('Environment name').fill('staging');
    await form.getByLabel('Branch').fill('develop');
    await form.getByLabel('Memory (MB)').fill('256');
    await form.getByLabel('Replicas').fill('2');
    await form.getByLabel('Health check path').fill('/healthz');
    await form.getByRole('button', { name: 'Add environment' }).click();
    await hidden(form);
    const staging = row(page, 'Environments', 'staging');
    await visible(staging);
    const cells = await staging.getByRole('cell').allInnerTexts();
    expect(cells.slice(1, 6).map((c) => c.trim())).toEqual(['develop', '256 MB', '500m', '2', '/healthz']);
    expect(cells[6]).toContain('staging');
    await snap(page, 'project');
  });

  it('keeps variables and secrets, with validation, versions and bulk import', async () => {
    const page = ownerBrowser!.page;
    await page.getByRole('table', { name: 'Environments' }).getByRole('link', { name: 'staging', exact: true }).click();
    await page.waitForURL(/\/environments\/staging$/);
    stagingPath = new URL(page.url()).pathname;
    await visible(page.getByRole('heading', { name: 'staging', level: 1 }));
    const add = page.getByRole('form', { name: 'Add variable' });

    await add.getByLabel('Key').fill('LOG_LEVEL');
    await add.getByLabel('Value').fill('info');
    await add.getByRole('button', { name: 'Add variable' }).click();
    await visible(row(page, 'Variables', 'LOG_LEVEL').getByText('info', { exact: true }));

    await add.getByLabel('Key').fill('API_KEY');
    await add.getByLabel('Value').fill('s3cr3t-value-1');
    await add.getByLabel('Secret').check();
    await add.getByRole('button', { name: 'Add variable' }).click();
    const secret = row(page, 'Variables', 'API_KEY');
    await visible(secret.getByLabel('Value of API_KEY').getByText(MASK));
    expect(await secret.innerText()).not.toContain('s3cr3t-value-1');
    await visible(secret.getByText('v1', { exact: true }));

    await secret.getByRole('button', { name: 'Reveal API_KEY' }).click();
    await visible(secret.getByText('s3cr3t-value-1'));
    await secret.getByRole('button', { name: 'Hide API_KEY' }).click();
    await visible(secret.getByText(MASK));

    await secret.getByRole('button', { name: 'Edit API_KEY' }).click();
    await secret.getByLabel('New value for API_KEY').fill('s3cr3t-value-2');
    await secret.getByRole('button', { name: 'Save API_KEY' }).click();
    await visible(secret.getByText('v2', { exact: true }));
    await secret.getByRole('button', { name: 'Reveal API_KEY' }).click();
    await visible(secret.getByText('s3cr3t-value-2'));
    await secret.getByRole('button', { name: 'Hide API_KEY' }).click();

    await page.getByRole('button', { name: 'History of API_KEY' }).click();
    const versions = page.getByRole('list', { name: 'Versions of API_KEY' });
    await visible(versions.getByText('v2', { exact: true }));
    await visible(versions.getByText('v1', { exact: true }));

    // An invalid key is refused before anything is sent, and nothing is saved.
    const rowsBefore = await page.getByRole('table', { name: 'Variables' }).getByRole('row').count();
    await add.getByLabel('Key').fill('1BAD-KEY');
    await add.getByLabel('Value').fill('x');
    await add.getByRole('button', { name: 'Add variable' }).click();
    await visible(add.getByText('Use letters, digits and underscores, not starting with a digit.'));
    await page.reload();
    await visible(row(page, 'Variables', 'API_KEY'));
    expect(await page.getByRole('table', { name: 'Variables' }).getByRole('row').count()).toBe(rowsBefore - 1); // minus the history row
    expect(await page.getByRole('table', { name: 'Variables' }).innerText()).not.toContain('1BAD');

    await page.getByRole('button', { name: 'Bulk edit' }).click();
    await page
      .getByLabel('.env contents')
      .fill('# pasted from .env\nDATABASE_URL=postgres://db.internal:5432/app\nFEATURE_FLAGS="search,beta"\nWORKERS=4\n');
    await page.getByRole('button', { name: 'Import variables' }).click();
    await visible(page.getByText('3 created, 0 updated, 0 unchanged'));
    await visible(row(page, 'Variables', 'DATABASE_URL').getByText('postgres://db.internal:5432/app'));
    await visible(row(page, 'Variables', 'FEATURE_FLAGS').getByText('search,beta'));
    await visible(row(page, 'Variables', 'WORKERS').getByText('4', { exact: true }));
    await snap(page, 'variables');
  });

  it('creates a personal API token shown once, then revokes it', async () => {
    const page = ownerBrowser!.page;
    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('link', { name: 'API tokens' }).click();
    await page.waitForURL(/\/settings\/tokens$/);
    await page.getByLabel('Token name').fill('CI deploys');
    await page.getByLabel('projects:read').check();
    await page.getByLabel('deploy', { exact: true }).check();
    await page.getByLabel('Expiration').selectOption({ label: '90 days' });
    await page.getByRole('button', { name: 'Create token' }).click();
    const tokenField = page.getByLabel('New token', { exact: true });
    await visible(tokenField);
    const token = await tokenField.inputValue();
    expect(token).toMatch(/^slp_/);
    await snap(page, 'token-created');
    await visible(page.getByText('You will not be able to see it again.'));
    await page.getByRole('button', { name: 'Done' }).click();
    await hidden(tokenField);
    expect(await page.content()).not.toContain(token);

    const listed = row(page, 'Tokens', 'CI deploys');
    await visible(listed);
    const prefix = (await listed.getByRole('cell').nth(1).innerText()).replace(/…$/, '').trim();
    expect(prefix.length).toBeGreaterThan(3);
    expect(token.startsWith(prefix)).toBe(true);
    await visible(listed.getByText('deploy', { exact: true }));
    await visible(listed.getByText('Active'));

    await listed.getByRole('button', { name: 'Revoke CI deploys' }).click();
    await listed.getByRole('button', { name: 'Revoke', exact: true }).click();
    await visible(listed.getByText('Revoked'));
    await hidden(listed.getByRole('button', { name: 'Revoke CI deploys' }));
    await snap(page, 'tokens');
  });

  it('invites a viewer, who sees the project but cannot change or read secrets', async () => {
    const page = ownerBrowser!.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
    await page.waitForURL(/\/members$/);
    await visible(row(page, 'Members', owner.email));
    await page.getByRole('form', { name: 'Invite member' }).getByLabel('Role').selectOption('VIEWER');
    await page.getByRole('button', { name: 'Invite member' }).click();
    const link = page.getByLabel('Invitation link', { exact: true });
    await visible(link);
    const url = await link.inputValue();
    expect(url).toMatch(/\/invite\/[^/]+$/);
    await page.getByRole('button', { name: 'Copy invitation link' }).click();
    await visible(page.getByRole('button', { name: 'Copy invitation link' }).getByText('Copied'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    await visible(page.getByRole('table', { name: 'Pending invitations' }).getByText('Viewer'));
    await snap(page, 'members-invited');
    invitePath = new URL(url).pathname; // the api's public URL may name another host than this test's console

    viewerBrowser = await openBrowser();
    const vpage = viewerBrowser.page;
    await vpage.goto(invitePath);
    await visible(vpage.getByRole('heading', { name: `Join ${owner.org}` }));
    await visible(vpage.getByText('viewer', { exact: true }));
    await snap(vpage, 'invite-preview');
    await vpage.getByRole('link', { name: 'Sign up to accept' }).click();
    await vpage.waitForURL(/\/signup\?next=/);
    await signUp(vpage, viewer, '');
    await vpage.waitForURL((u) => u.pathname === invitePath);
    await vpage.getByRole('button', { name: 'Accept invitation' }).click();
    await vpage.waitForURL((u) => u.pathname === `/o/${orgSlug}/projects`);
    await vpage.getByRole('link', { name: 'Web App' }).click();
    await vpage.waitForURL((u) => u.pathname === projectPath);
    await visible(vpage.getByRole('heading', { name: 'Web App', level: 1 }));
    expect(await vpage.getByRole('button', { name: 'Add environment' }).count()).toBe(0);
    expect(await vpage.getByRole('button', { name: 'Delete project' }).count()).toBe(0);

    await vpage.goto(stagingPath);
    const secret = row(vpage, 'Variables', 'API_KEY');
    await visible(secret.getByText(MASK));
    await visible(row(vpage, 'Variables', 'LOG_LEVEL').getByText('info', { exact: true }));
    for (const name of ['Reveal API_KEY', 'Edit API_KEY', 'Delete API_KEY', 'Bulk edit', 'Add variable']) {
      expect(await vpage.getByRole('button', { name }).count(), name).toBe(0);
    }
    expect(await vpage.getByRole('form', { name: 'Add variable' }).count()).toBe(0);
    await snap(vpage, 'viewer-variables');
    expect(await vpage.content()).not.toContain('s3cr3t-value');
    // The audit log is for owners and admins: not in the viewer's navigation.
    expect(await vpage.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).count()).toBe(0);
  });

  it("lets the owner change the viewer's role, log out and in, and read the audit log", async () => {
    const page = ownerBrowser!.page;
    await page.reload();
    const member = row(page, 'Members', viewer.email);
    await visible(member);
    await member.getByLabel(`Role of ${viewer.email}`).selectOption('MEMBER');
    await expect.poll(() => member.getByLabel(`Role of ${viewer.email}`).inputValue(), WAIT).toBe('MEMBER');
    await page.reload();
    await expect.poll(() => row(page, 'Members', viewer.email).getByLabel(`Role of ${viewer.email}`).inputValue(), WAIT).toBe('MEMBER');

    // The promoted member now gets edit controls.
    const vpage = viewerBrowser!.page;
    await vpage.reload();
    await visible(row(vpage, 'Variables', 'API_KEY').getByRole('button', { name: 'Edit API_KEY' }));

    await page.getByRole('button', { name: 'Account menu' }).click();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.goto(`/o/${orgSlug}/audit`);
    await page.waitForURL(/\/login\?next=/);
    await logIn(page, owner);
    await page.waitForURL((u) => u.pathname === `/o/${orgSlug}/audit`);

    const log = page.getByRole('table', { name: 'Audit log' });
    await visible(log);
    const text = await log.innerText();
    for (const action of ['auth.login', 'token.created', 'token.revoked', 'secret.revealed', 'member.joined', 'member.role_changed']) {
      expect(text, action).toContain(action);
    }
    await visible(log.getByRole('row').filter({ hasText: 'member.joined' }).getByText(viewer.email).first());
    await snap(page, 'audit-log');
  });

  it('shows a stranger from another organization a clean not-found page for this project', async () => {
    strangerBrowser = await openBrowser();
    const page = strangerBrowser.page;
    await signUp(page, stranger);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    expect(new URL(page.url()).pathname).not.toBe(`/o/${orgSlug}/projects`);

    for (const path of [projectPath, stagingPath]) {
      await page.goto(path);
      await visible(page.getByRole('heading', { name: 'Not found' }));
      await snap(page, 'stranger-not-found');
      expect(await page.content()).not.toContain('Web App');
    }
    // The api agrees: the other tenant's project does not exist for this user.
    const status = await page.evaluate(
      async (p) => (await fetch(`/api/v1/orgs/${p.org}/projects/web-app`, { credentials: 'same-origin' })).status,
      { org: orgSlug },
    );
    expect(status).toBe(404);
  });
});
