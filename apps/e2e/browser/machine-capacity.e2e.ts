import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, screenshotOnFailure, signUp, visible, type BrowserSession } from '../support/browser';

/**
 * The machine's remaining capacity as an organization admin sees it on the Members page: memory
 * and disk left for deployments, from GET /orgs/:org/machine-capacity on the real engine.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const person = { name: 'Cap Owner', email: `capacity-${run}@example.test`, password: 'correct horse battery staple', org: `Capacity ${run}` };

let browser: BrowserSession | undefined;

describe('console: machine capacity', () => {
  beforeAll(async () => {
    browser = await openBrowser();
  });

  screenshotOnFailure('machine-capacity', () => [browser]);

  afterAll(async () => {
    await browser?.close();
  });

  it("shows an admin the machine's memory and disk left, with what reserves them and the settings", async () => {
    const page = browser!.page;
    await signUp(page, person);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    const org = new URL(page.url()).pathname.split('/')[2]!;
    await page.goto(new URL(`/o/${org}/members`, page.url()).toString());
    const panel = page.getByRole('region', { name: 'Machine capacity' });
    await visible(panel);
    const memory = await panel.getByTestId('capacity-memory-left').textContent();
    expect(memory).toMatch(/^\d+\.\d GB left$/);
    expect(Number(memory!.split(' ')[0])).toBeGreaterThan(0);
    await visible(panel.getByText(/reserved by \d+ running replicas? \(all organizations\)/));
    await visible(panel.getByTestId('capacity-disk-left'));
    await visible(panel.getByText('Settings: MACHINE_MEMORY_RESERVED_MB, MACHINE_DISK_RESERVED_MB.'));
  }, 60_000);
});
