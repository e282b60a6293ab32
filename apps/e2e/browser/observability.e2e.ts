import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_URL, createProject, openBrowser, screenshotOnFailure, signUp, snap, visible, type BrowserSession } from '../support/browser';
import { getViaEdge } from '../support/edge';
import { commitAll, git, workingCopy } from '../support/git';

/**
 * The observability page as a user sees it: v1 of a small real app serves traffic through the
 * edge, v2 answers 5xx on one path (and logs why) → the page shows the v2 marker, the 5xx rise
 * in v2's colour and legend row, the verdict on the marker, the failing path's log lines found
 * by search; a chart selection filters the logs; rolling back from the marker puts v1 live
 * again. Real git, api, worker, dockerd, edge and browser; the `it` blocks share state.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const person = { name: 'Olive Observer', email: `observer-${run}@example.test`, password: 'correct horse battery staple', org: `Observe ${run}` };
const slug = `obs-${run}`.slice(0, 40);
/** Collection runs every few seconds (edge flush 10 s, worker pass 5 s): a minute covers it with room. */
const COLLECTED = { timeout: 90_000, interval: 3_000 };
/** What v2 logs on its failing path: the test searches the logs for it. */
const FAILURE_LINE = `checkout failed: payment backend unreachable (${run})`;


let browser: BrowserSession | undefined;
let projectPath = '';
let app = '';
let host = '';

function workingCopyDir(): string {
  if (!app) throw new Error('The first step did not create the working copy.');
  return app;
}

const answer = async () => (await getViaEdge(host)).body;

/** `/` and `/checkout` through the edge, `perSecond` each, for `seconds` (bounded); resolves with the statuses seen. */
async function drive(seconds: number, perSecond: number): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const round = await Promise.all([getViaEdge(host, '/', 3_000), getViaEdge(host, '/checkout', 3_000)]);
    for (const r of round) seen[r.status] = (seen[r.status] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 1000 / perSecond));
  }
  return seen;
}

describe('console: the observability page over a bad deploy and its rollback', () => {
  beforeAll(async () => {
    const probe = await fetch(`${CONSOLE_URL}/api/v1/auth/session`);
    if (probe.status !== 401) throw new Error(`${CONSOLE_URL}/api/v1/auth/session answered ${probe.status}, not 401: the console does not reach the api`);
    browser = await openBrowser();
  });

  screenshotOnFailure('observability', () => [browser]);

  afterAll(async () => {
    await browser?.close();
  });

  it('deploys v1 and serves traffic through the edge', async () => {
    const page = browser!.page;
    await signUp(page, person);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    projectPath = await createProject(page, slug, slug);
    await page.getByRole('button', { name: 'Create a deploy token' }).click();
    // The commands carry the token once it exists.
    const token = await page.getByLabel('Deploy token', { exact: true }).inputValue();
    expect(token).toMatch(/^slp_/);
    const commands = (await page.getByLabel('Push commands').innerText()).trim().split('\n');
    expect(commands[0]).toContain(token);
    app = await workingCopy({ VERSION: 'v1\n' }, 'shop', 'Shop v1');
    expect((await git(commands[0]!.split(' ').slice(1), app)).code).toBe(0);
    host = new URL((await page.getByRole('link', { name: 'Live URL of production' }).getAttribute('href')) ?? '').hostname;

    const pushed = await git(['push', 'slipway', 'main'], app);
    expect(pushed.code, pushed.out).toBe(0);
    expect(await answer()).toBe('shop v1\n');
    const seen = await drive(25, 4);
    expect(seen['200']).toBeGreaterThan(100);
    expect(seen['500'] ?? 0).toBe(0);
  });

  it('deploys v2 that fails on /checkout: the page shows its marker, its 5xx rise and its verdict', async () => {
    const page = browser!.page;
    const dir = workingCopyDir();
    writeFileSync(join(dir, 'VERSION'), 'v2\n');
    writeFileSync(join(dir, 'CHECKOUT_FAILURE'), `${FAILURE_LINE}\n`);
    await commitAll(dir, 'Shop v2: new payment client');
    const pushed = await git(['push', 'slipway', 'main'], dir);
    expect(pushed.code, pushed.out).toBe(0);
    expect(await answer()).toBe('shop v2\n');
    const seen = await drive(30, 4);
    expect(seen['500']).toBeGreaterThan(50);

    // From the project page's link, then the shortest range.
    await page.goto(projectPath);
    await page.locator(`a[href="${projectPath}/observability"]`).click();
    await page.waitForURL(new RegExp(`/projects/${slug}/observability`));
    await page.getByRole('button', { name: 'Last 15 min' }).click();
    await page.waitForURL(/range=15m/);
    await visible(page.getByText('Live', { exact: true }));

    // The 5xx rise is v2's: its legend row is flagged and carries the rate.
    const v2 = page.getByRole('table', { name: 'Releases in range' }).getByRole('row', { name: 'v2' });
    await expect.poll(async () => (await v2.count()) > 0 && (await v2.innerText()).includes('highest 5xx rate'), COLLECTED).toBe(true);
    const v2Rate = Number(/(\d+(?:\.\d+)?) %/.exec(await v2.getByRole('cell').nth(2).innerText())?.[1]);
    expect(v2Rate).toBeGreaterThan(20); // half of v2's requests hit /checkout
    const v1Row = page.getByRole('table', { name: 'Releases in range' }).getByRole('row', { name: 'v1' });
    expect(await v1Row.getByRole('cell').nth(2).innerText()).toBe('0 %');
    await visible(page.getByRole('img', { name: '4xx and 5xx rate by release' }).locator('canvas').first());
    // The failing path leads the top paths by errors.
    await page.getByRole('table', { name: 'Top paths' }).getByRole('button', { name: 'Errors' }).click();
    await expect.poll(async () => page.getByRole('table', { name: 'Top paths' }).getByRole('row').nth(1).getAttribute('aria-label'), COLLECTED).toBe('/checkout');
    // Both deploys are markers (the timeline lists them for the keyboard; the canvas draws them).
    const markers = page.getByRole('list', { name: 'Markers' });
    await visible(markers.getByRole('button', { name: /^Deploy of v2 at / }));
    await visible(markers.getByRole('button', { name: /^Deploy of v1 at / }));
    await snap(page, 'observability-v2-faulty');

    // The marker's card: release, commit, author, and the verdict.
    await expect
      .poll(async () => {
        await markers.getByRole('button', { name: /^Deploy of v2 at / }).click();
        const card = page.getByRole('dialog', { name: 'Marker v2' });
        const verdict = card.getByRole('region', { name: 'Verdict' });
        const text = (await verdict.count()) ? await verdict.innerText() : '';
        if (!text.includes('Faulty')) await card.getByRole('button', { name: 'Close' }).click();
        return text;
      }, { timeout: 240_000, interval: 5_000 })
      .toMatch(/Faulty[\s\S]*v2[\s\S]*5xx/);
    const card = page.getByRole('dialog', { name: 'Marker v2' });
    await visible(card.getByText('Shop v2: new payment client'));
    await visible(card.getByText('E2E', { exact: true }));
    await snap(page, 'observability-marker-card');
  });

  it('finds the failing path’s log lines by search, and a chart selection narrows the logs', async () => {
    const page = browser!.page;
    await page.getByRole('dialog', { name: 'Marker v2' }).getByRole('button', { name: 'Close' }).click();
    const logs = page.getByRole('log', { name: 'Log lines' });
    await page.getByRole('searchbox', { name: 'Search text' }).fill('payment backend unreachable');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The live list shows every line until the search answers: wait for the matching lines only.
    const onlyMatches = async () => {
      const text = (await logs.count()) ? await logs.innerText() : '';
      return text.includes(FAILURE_LINE) && !text.includes('GET / 200') ? text : '';
    };
    await expect.poll(onlyMatches, COLLECTED).not.toBe('');
    expect(await onlyMatches()).toContain('v2');
    await snap(page, 'observability-logs-search');

    // Drag across the right half of the error chart: the logs follow the selection, and the page can zoom to it.
    const chart = page.getByRole('img', { name: '4xx and 5xx rate by release' }).locator('.u-over');
    await chart.scrollIntoViewIfNeeded();
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.99, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await visible(page.getByText(/^Logs filtered to /));
    await visible(page.getByText('Lines from the range selected on a chart.'));
    await page.getByRole('button', { name: 'Zoom to this range' }).click();
    await page.waitForURL(/from=.*&to=/);
    await visible(page.getByText('Fixed range: not refreshing'));
    // The range is in the URL: back returns to the live 15 minutes.
    await page.goBack();
    await page.waitForURL(/range=15m/);
    await visible(page.getByText('Live', { exact: true }));
  });

  it('rolls back to v1 from the v2 marker; v1 serves again and the rollback is a marker', async () => {
    const page = browser!.page;
    await page.getByRole('list', { name: 'Markers' }).getByRole('button', { name: /^Deploy of v2 at / }).click();
    const card = page.getByRole('dialog', { name: 'Marker v2' });
    await card.getByRole('button', { name: 'Roll back to v1' }).click();
    await card.getByRole('group', { name: 'Confirm: Roll back to v1' }).getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(answer, { timeout: 30_000, interval: 500 }).toBe('shop v1\n');
    // The page polls while live: the rollback shows up as a marker without a reload.
    await page.getByRole('list', { name: 'Markers' }).getByRole('button', { name: /^Rollback of v1 at / }).waitFor({ timeout: 30_000 });
    await visible(page.getByRole('dialog', { name: 'Marker v2' }).getByText('v1 is live.'));
    expect((await getViaEdge(host, '/checkout')).status).toBe(200);
    await snap(page, 'observability-rolled-back');
  });

  it('lists the project in the organization overview, and its row opens the page with the same range', async () => {
    const page = browser!.page;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Observability' }).click();
    await page.waitForURL(/\/o\/[a-z0-9-]+\/observability/);
    await page.getByRole('button', { name: 'Last 1 hour' }).click();
    const row = page.getByRole('table', { name: 'Environment health' }).getByRole('row', { name: `${slug} production` });
    await visible(row);
    expect(await row.innerText()).toContain('v1');
    await snap(page, 'observability-overview');
    await row.getByRole('link', { name: slug }).click();
    await page.waitForURL(new RegExp(`/projects/${slug}/observability\\?env=production&range=1h$`));
    await visible(page.getByRole('button', { name: 'Last 1 hour', pressed: true }));
  });
});
