import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProject, hidden, openBrowser, row, screenshotOnFailure, signUp, snap, visible, type BrowserSession } from '../support/browser';
import { E2E } from '../support/env';

/**
 * The project's model gateway page as a developer uses it: create a key (shown once), call the
 * gateway with it from outside the browser, watch the call appear in the live table (served by
 * the built-in mock provider, with a cost), revoke the key and see the gateway refuse it.
 * The `it` blocks share state and run in order.
 */
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const owner = {
  name: 'Gail Gateway',
  email: `gateway-${run}@example.test`,
  password: 'correct horse battery staple',
  org: `Models ${run}`,
};
const WAIT = { timeout: 15_000, interval: 200 };

let browser: BrowserSession | undefined;
let token = '';
let requestId = '';

function callGateway(key: string): Promise<Response> {
  return fetch(`${E2E.apiUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01', 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'default', max_tokens: 64, messages: [{ role: 'user', content: 'hello from the console test' }] }),
  });
}

describe('console: model gateway', () => {
  beforeAll(async () => {
    browser = await openBrowser();
  });

  screenshotOnFailure('', () => [browser]);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens a new project’s gateway page: base URLs, mock routing and an empty live table', async () => {
    const page = browser!.page;
    await signUp(page, owner);
    await page.waitForURL(/\/o\/[a-z0-9-]+\/projects$/);
    await createProject(page, 'Chat Bot', 'chat-bot');
    await page.getByRole('link', { name: 'Model gateway' }).click();
    await page.waitForURL(/\/projects\/chat-bot\/gateway$/);
    await visible(page.getByRole('heading', { name: 'Model gateway', level: 1 }));

    expect(await page.getByLabel('ANTHROPIC_BASE_URL', { exact: true }).inputValue()).toBe(E2E.apiUrl);
    expect(await page.getByLabel('OPENAI_BASE_URL', { exact: true }).inputValue()).toBe(`${E2E.apiUrl}/v1`);
    await visible(page.getByText('Mock provider — deterministic answers, no real model').first());
    await visible(row(page, 'Routing of production', 'default'));
    await visible(page.getByText('No requests yet.', { exact: false }));
  });

  it('creates a key that is shown once', async () => {
    const page = browser!.page;
    await page.getByRole('button', { name: 'Create key' }).click();
    const form = page.getByRole('form', { name: 'Create gateway key' });
    await form.getByLabel('Key name').fill('laptop');
    await form.getByRole('button', { name: 'Create key' }).click();
    const field = page.getByLabel('New gateway key', { exact: true });
    await visible(field);
    token = await field.inputValue();
    expect(token).toMatch(/^sk-slw-/);
    await visible(page.getByText("You won't see it again."));
    // The first-call snippet uses the new key while it is on screen.
    expect(await page.getByLabel('First call', { exact: true }).innerText()).toContain(token);
    await snap(page, 'gateway-key-created');

    await page.getByRole('button', { name: 'Done' }).click();
    await hidden(field);
    expect(await page.content()).not.toContain(token);
    const listed = row(page, 'Gateway keys', 'laptop');
    await visible(listed.getByText('Active'));
    const prefix = (await listed.getByRole('cell').nth(1).innerText()).replace(/…$/, '').trim();
    expect(token.startsWith(prefix)).toBe(true);
  });

  it('shows a call made with the key in the live table: served by the mock, with a cost', async () => {
    const page = browser!.page;
    const res = await callGateway(token);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-slipway-provider')).toBe('mock');
    requestId = res.headers.get('x-slipway-request-id') ?? '';
    expect(requestId).not.toBe('');

    // No reload: the table polls by itself.
    const call = row(page, 'Recent requests', requestId);
    await call.waitFor({ state: 'visible', timeout: WAIT.timeout });
    const cells = (await call.getByRole('cell').allInnerTexts()).map((c) => c.trim());
    expect(cells[1]).toMatch(/^default\s*→\s*mock-/);
    expect(cells[2]).toBe('mock');
    expect(cells[3]).toBe('200');
    expect(cells[7]).toMatch(/^\$0\.0+[1-9]/);
    await snap(page, 'gateway-request');
  });

  it('revokes the key, after which the gateway answers 401', async () => {
    const page = browser!.page;
    const listed = row(page, 'Gateway keys', 'laptop');
    await listed.getByRole('button', { name: 'Revoke laptop' }).click();
    await listed.getByRole('button', { name: 'Revoke', exact: true }).click();
    await visible(listed.getByText('Revoked'));
    const res = await callGateway(token);
    expect(res.status).toBe(401);
  });
});
