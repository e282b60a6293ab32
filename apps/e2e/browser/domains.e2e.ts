import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsStub } from '@slipway/testing';
import { createProject, openBrowser, screenshotOnFailure, signUp, visible, type BrowserSession } from '../support/browser';
import { startTestDns } from '../support/dns';

/**
 * A custom domain as a user adds it in the console: the TXT record to create is shown with the
 * pending status; once DNS holds it, Verify turns the domain verified. The real browser, the
 * console, the api and a DNS server the test controls.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const person = { name: 'Dom Owner', email: `domains-${run}@example.test`, password: 'correct horse battery staple', org: `Domains ${run}` };
const slug = `site-${run}`.slice(0, 40);
const domain = `www.${run}.example.test`;

let browser: BrowserSession | undefined;
let dns: DnsStub | undefined;

describe('console: custom domains', () => {
  beforeAll(async () => {
    browser = await openBrowser();
    dns = await startTestDns();
  });

  screenshotOnFailure('domains', () => [browser]);

  afterAll(async () => {
    await browser?.close();
    await dns?.close();
  });

  it('shows the TXT record to create and the pending status, then verifies the domain once DNS holds it', async () => {
    const page = browser!.page;
    await signUp(page, person);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    await page.goto(`${await createProject(page, slug, slug)}/environments/production`);

    // The environment's URL follows the naming rule: production at <project>.<apps domain>.
    await visible(page.getByRole('link', { name: new RegExp(`^http://${slug}(-[a-z0-9-]+)?\\.localhost:\\d+$`) }));

    const form = page.getByRole('form', { name: 'Add custom domain' });
    await form.getByLabel('Host name').fill(domain.toUpperCase());
    await form.getByRole('button', { name: 'Add domain' }).click();
    const item = page.getByRole('listitem', { name: domain });
    await visible(item);
    await visible(item.getByText('waiting for DNS'));
    expect(await item.getByLabel('Name', { exact: true }).inputValue()).toBe(`_slipway-challenge.${domain}`);
    const token = await item.getByLabel('Value', { exact: true }).inputValue();
    expect(token).toMatch(/^slipway-[0-9a-f]{32}$/);

    // Verify before the record exists: the reason is shown, the domain stays pending.
    await item.getByRole('button', { name: `Verify ${domain}` }).click();
    await visible(item.getByRole('alert').getByText(`No TXT record found at _slipway-challenge.${domain}`));

    dns!.setTxt(`_slipway-challenge.${domain}`, [token]);
    await item.getByRole('button', { name: `Verify ${domain}` }).click();
    await visible(item.getByText('verified', { exact: true }));
    await visible(item.getByRole('link', { name: domain }));
  }, 60_000);
});
