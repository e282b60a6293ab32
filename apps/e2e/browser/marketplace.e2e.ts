import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONSOLE_URL,
  createProject,
  openBrowser,
  screenshotOnFailure,
  signUp,
  snap,
  visible,
  type BrowserSession,
} from '../support/browser';
import { getViaEdge } from '../support/edge';
import { E2E } from '../support/env';
import { git, workingCopy } from '../support/git';

/**
 * The monetized API as two people use it (issue 12, "Done means"): a publisher pushes the
 * weather-api sample, lists it, adds a free plan with a daily quota of 5 and a paid plan, and
 * publishes it; a second person finds it in the catalog signed out, signs up from the listing,
 * subscribes to the free plan, copies the curl snippet from the page, calls through the edge
 * until 429 (RateLimit headers), upgrades (the proration is explained and billed), calls more,
 * and sees a draft invoice whose lines match the calls made. Real git, api, worker, dockerd,
 * edge and two browsers with their own profiles; the `it` blocks share state and run in order.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const publisher = {
  name: 'Paula Publisher',
  email: `publisher-${run}@example.test`,
  password: 'correct horse battery staple',
  org: `Forecasts ${run}`,
};
const consumer = {
  name: 'Carl Consumer',
  email: `consumer-${run}@example.test`,
  password: 'correct horse battery staple',
  org: `Travel ${run}`,
};
const project = `wx-${run}`.slice(0, 40);
const apiName = `Weather ${run}`;
const apiSlug = `weather-${run}`.slice(0, 40);
const FREE_PER_DAY = 5;
/** Calls made on the paid plan after the upgrade; the invoice's overage line must count exactly these. */
const PAID_CALLS = 4;
/** Metering: the edge appends every ≤ 100 ms, the worker ingests in batches; drafts are recomputed on read. */
const METERED = { timeout: 60_000, interval: 2_000 };

let publisherBrowser: BrowserSession | undefined;
let consumerBrowser: BrowserSession | undefined;
let curl = '';

interface EdgeAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One call to the listing's URL (from the snippet) through the edge under test: its Host is the listing's host. */
function callListing(url: string, key: string, timeoutMs = 5_000): Promise<EdgeAnswer> {
  const target = new URL(url);
  const edge = new URL(E2E.edgeUrl);
  return new Promise((resolve) => {
    const req = request(
      {
        host: edge.hostname,
        port: edge.port,
        path: `${target.pathname}${target.search}`,
        headers: { host: target.host, authorization: `Bearer ${key}` },
        timeout: timeoutMs,
        agent: false,
      },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (c: string) => (body += c))
          .on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, headers: {}, body: String(err) }));
    req.end();
  });
}

/** The URL and key of the copied curl snippet (`curl -i '<url>' -H 'Authorization: Bearer <key>'`). */
function parseCurl(text: string): { url: string; key: string } {
  const url = /curl -i '([^']+)'/.exec(text)?.[1];
  const key = /Authorization: Bearer ([^'\s]+)/.exec(text)?.[1];
  if (!url || !key) throw new Error(`Not a curl snippet with a key: ${text}`);
  return { url, key };
}

describe('console: publish a monetized API, subscribe, hit the quota, upgrade, see the invoice', () => {
  beforeAll(async () => {
    const probe = await fetch(`${CONSOLE_URL}/api/v1/auth/session`);
    if (probe.status !== 401)
      throw new Error(`${CONSOLE_URL}/api/v1/auth/session answered ${probe.status}, not 401: the console does not reach the api`);
    publisherBrowser = await openBrowser();
    consumerBrowser = await openBrowser();
  });

  screenshotOnFailure('marketplace', () => [publisherBrowser, consumerBrowser]);

  afterAll(async () => {
    await publisherBrowser?.close();
    await consumerBrowser?.close();
  });

  it('the publisher deploys the weather API with git push', async () => {
    const page = publisherBrowser!.page;
    await signUp(page, publisher);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    await createProject(page, project, project);
    await page.getByRole('button', { name: 'Create a deploy token' }).click();
    // The commands carry the token once it exists.
    const token = await page.getByLabel('Deploy token', { exact: true }).inputValue();
    const commands = (await page.getByLabel('Push commands').innerText()).trim().split('\n');
    expect(commands[0]).toContain(token);
    const dir = await workingCopy({}, 'weather-api', 'Weather API v1');
    expect((await git(commands[0]!.split(' ').slice(1), dir)).code).toBe(0);
    const host = new URL((await page.getByRole('link', { name: 'Live URL of production' }).getAttribute('href')) ?? '').hostname;
    const pushed = await git(['push', 'slipway', 'main'], dir);
    expect(pushed.code, pushed.out).toBe(0);
    expect((await getViaEdge(host, '/')).body).toBe('weather-api: see /openapi.json\n');
  }, 240_000);

  it('lists the environment as an API, adds a free and a paid plan, and publishes it', async () => {
    const page = publisherBrowser!.page;
    await page.getByRole('link', { name: 'APIs', exact: true }).click();
    await page.waitForURL(/\/apis$/);
    await page.getByRole('button', { name: 'New API' }).click();
    const form = page.getByRole('form', { name: 'New API' });
    await form.getByLabel('Project').selectOption(project);
    await form.getByLabel('API name').fill(apiName);
    await form.getByLabel('API slug').fill(apiSlug);
    await form.getByLabel('Category').selectOption('weather');
    // A bad summary first: the api's error shows at the field and nothing is created.
    await form.getByRole('button', { name: 'Create API' }).click();
    await visible(form.getByText('Write a one-line summary.').last());
    expect(await form.getByLabel('Summary').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Summary').fill('Forecasts for a few cities, as JSON.');
    await form.getByLabel('Path of operation 1').fill('/forecast');
    await form.getByRole('button', { name: 'Add operation' }).click();
    await form.getByLabel('Path of operation 2').fill('/cities');
    await form.getByRole('button', { name: 'Create API' }).click();
    // The proxy secret is shown once, with how the app checks it.
    const secret = await page.getByLabel('Proxy secret', { exact: true }).inputValue();
    expect(secret.length).toBeGreaterThanOrEqual(16);
    await visible(page.getByText('slipway-proxy-secret').first());
    await page.getByRole('link', { name: `Add plans and publish ${apiName}` }).click();
    await page.waitForURL(new RegExp(`/apis/${apiSlug}$`));
    // The app's document is read at each deploy from now on; this release was live before the listing existed, so upload it.
    await page
      .getByLabel('Upload an OpenAPI 3 document (JSON or YAML)')
      .fill(readFileSync(join(__dirname, '../../../libs/testing/sample-apps/weather-api/openapi.json'), 'utf8'));
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await visible(page.getByText('Current document: uploaded, 3 paths', { exact: false }));

    // Free: 5 calls a day.
    await page.getByRole('button', { name: 'New plan' }).click();
    let plan = page.getByRole('form', { name: 'New plan' });
    await plan.getByLabel('Plan name').fill('Free');
    await plan.getByLabel('Plan slug').fill('free');
    await plan.getByLabel('Quota per day (UTC)').fill(String(FREE_PER_DAY));
    await plan.getByRole('button', { name: 'Create plan' }).click();
    await visible(page.getByRole('table', { name: 'Plans' }).getByRole('row', { name: 'Free' }));
    // Pro: $9 a month, every call billed as overage at $0.01 (no included calls), no limits.
    await page.getByRole('button', { name: 'New plan' }).click();
    plan = page.getByRole('form', { name: 'New plan' });
    await plan.getByLabel('Plan name').fill('Pro');
    await plan.getByLabel('Plan slug').fill('pro');
    await plan.getByLabel('Pricing').selectOption('subscription');
    await plan.getByLabel('Monthly fee (USD)').fill('9');
    await plan.getByLabel('Included calls').fill('0');
    await plan.getByLabel('Overage').selectOption('graduated');
    await plan.getByLabel('Tier 1 price per call').fill('0.01');
    await plan.getByRole('button', { name: 'Create plan' }).click();
    await visible(page.getByRole('table', { name: 'Plans' }).getByRole('row', { name: 'Pro' }));

    await page.getByRole('button', { name: 'Publish' }).click();
    await visible(page.getByText('published', { exact: true }));
    await snap(page, 'marketplace-publisher');
  }, 90_000);

  it('a visitor finds it in the catalog signed out, signs up from the listing and subscribes to the free plan', async () => {
    const page = consumerBrowser!.page;
    await page.goto('/catalog');
    await page.getByLabel('Search APIs').fill(run);
    await page.getByRole('button', { name: 'Search' }).click();
    const card = page.getByRole('list', { name: 'APIs' }).getByRole('listitem', { name: apiName });
    await expect.poll(async () => card.getByLabel('Price').innerText(), { timeout: 15_000 }).toBe('Free plan available');
    await card.getByRole('link', { name: apiName }).click();
    await page.waitForURL(new RegExp(`/catalog/${apiSlug}$`));
    // Plans and the reference from the app's own OpenAPI document.
    await visible(page.getByRole('columnheader', { name: 'Free' }));
    await visible(page.getByRole('columnheader', { name: 'Pro' }));
    await visible(page.getByRole('article', { name: 'GET /forecast' }));
    expect(await page.getByLabel('curl snippet', { exact: true }).innerText()).toContain('YOUR_API_KEY');

    await page.getByRole('link', { name: 'create a free account' }).click();
    await signUp(page, consumer, '');
    await page.waitForURL(new RegExp(`/catalog/${apiSlug}$`));
    const form = page.getByRole('form', { name: 'Subscribe' });
    await form.getByLabel('Plan').selectOption('free');
    await form.getByRole('button', { name: 'Subscribe' }).click();
    const key = await page.getByRole('region', { name: 'API key (shown once)' }).getByLabel('API key', { exact: true }).inputValue();
    expect(key).toMatch(/^swk_live_/);
    await visible(page.getByText('it will not be shown again', { exact: false }));
    // The reference's "Try it" on GET /forecast points the snippets and the try-it panel at it; the snippet now carries the key.
    await page.getByRole('article', { name: 'GET /forecast' }).getByRole('button', { name: 'Try it' }).click();
    curl = await page.getByLabel('curl snippet', { exact: true }).innerText();
    expect(curl).toContain(key);
    await snap(page, 'marketplace-subscribed');
  }, 90_000);

  it('calls through the edge with the copied snippet until the daily quota answers 429 with RateLimit headers', async () => {
    const { url, key } = parseCurl(curl);
    expect(url).toContain('/forecast?city=');
    const answers: EdgeAnswer[] = [];
    for (let i = 0; i < FREE_PER_DAY + 2; i++) answers.push(await callListing(url, key));
    expect(answers.map((a) => a.status)).toEqual([...Array(FREE_PER_DAY).fill(200), 429, 429]);
    expect(JSON.parse(answers[0]!.body)).toMatchObject({ plan: 'free' });
    const ok = answers[FREE_PER_DAY - 1]!;
    expect(ok.headers['ratelimit-policy']).toBeTruthy();
    expect(ok.headers['x-ratelimit-remaining']).toBe('0');
    const refused = answers[FREE_PER_DAY]!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(refused.body)).toMatchObject({ status: 429, code: 'quota_exceeded' });
    expect(refused.headers['ratelimit-policy']).toMatch(/q=5/);
    expect(refused.headers.ratelimit).toMatch(/r=0/);
    expect(refused.headers['x-ratelimit-limit']).toBe(String(FREE_PER_DAY));
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    // The listing page's try-it panel (through the console's server, with the key it was shown) sees the same refusal.
    const page = consumerBrowser!.page;
    const tryIt = page.getByRole('form', { name: 'Try it' });
    expect(await tryIt.getByLabel('API key').inputValue()).toBe(key);
    await tryIt.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByRole('region', { name: 'Answer' });
    await visible(answer);
    expect(await answer.getByLabel('Answer status').innerText()).toBe('429');
    expect(await answer.getByLabel('Answer headers').innerText()).toContain('ratelimit-policy');
  });

  it('upgrades to Pro (the proration is explained), calls more, and the draft invoice’s lines match the calls', async () => {
    const page = consumerBrowser!.page;
    await page.getByRole('link', { name: 'Usage, keys and invoices of this subscription' }).click();
    await page.waitForURL(/\/subscriptions\/[^/]+$/);
    // The free plan's calls are counted (from stored usage events).
    await expect
      .poll(async () => {
        await page.reload();
        await visible(page.getByLabel('Usage totals'));
        return page.getByLabel('Usage totals').getByText(String(FREE_PER_DAY), { exact: true }).count();
      }, METERED)
      .toBeGreaterThan(0);
    await visible(page.getByRole('listitem', { name: 'Today (UTC) quota' }).getByText(`${FREE_PER_DAY} / ${FREE_PER_DAY}`));

    const change = page.getByRole('form', { name: 'Change plan' });
    await change.getByLabel('New plan').selectOption('pro');
    expect(await change.getByLabel('Proration').innerText()).toMatch(/prorated/);
    await change.getByRole('button', { name: 'Change plan' }).click();
    await visible(page.getByText('Moved to Pro.', { exact: false }));

    const { url, key } = parseCurl(curl);
    await expect.poll(async () => (await callListing(url, key)).status, { timeout: 5_000, interval: 200 }).toBe(200);
    for (let i = 1; i < PAID_CALLS; i++) expect((await callListing(url, key)).status).toBe(200);

    const draft = page.getByRole('table', { name: 'Invoices' }).getByRole('link', { name: 'Draft' }).first();
    await expect
      .poll(async () => {
        await page.reload();
        await visible(page.getByRole('table', { name: 'Invoices' }).or(page.getByText('No invoice yet', { exact: false })));
        return draft.count();
      }, METERED)
      .toBeGreaterThan(0);
    await draft.click();
    await page.waitForURL(/\/subscriptions\/invoices\/[^/]+$/);
    const lines = page.getByRole('table', { name: 'Invoice lines' });
    await expect
      .poll(async () => {
        await page.reload();
        await visible(lines.or(page.getByText('No charge yet in this period.')));
        return (await lines.count()) ? lines.innerText() : '';
      }, METERED)
      .toMatch(new RegExp(`overage[^\\n]*\\t${PAID_CALLS}\\t\\$0\\.01\\t\\$0\\.04`));
    // The upgrade prorated the monthly fee (the part of the period left), and the free calls cost nothing.
    await visible(lines.locator('tr[data-kind="proration"]'));
    expect(await lines.locator('tr[data-kind="per_call"]').count()).toBe(0);
    await snap(page, 'marketplace-invoice');
  }, 180_000);
});
