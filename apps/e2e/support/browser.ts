import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterEach } from 'vitest';
import { E2E } from './env';

/** Debian's Chromium; tests never download a browser. */
const CHROMIUM = E2E.chromium;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CONSOLE_URL = E2E.consoleUrl;

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close: () => Promise<void>;
}

/**
 * A fresh browser profile (own cookies and storage), as a separate person on their own machine
 * would have. `launchPersistentContext` because plain `launch` rejects `--user-data-dir`.
 */
export async function openBrowser(): Promise<BrowserSession> {
  const dir = await mkdtemp(path.join(tmpdir(), 'slipway-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    baseURL: CONSOLE_URL,
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: CONSOLE_URL });
  context.setDefaultTimeout(10_000);
  context.setDefaultNavigationTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot of each open page to test-results/<name>[-n].png. */
export async function screenshotAll(name: string, sessions: (BrowserSession | undefined)[]): Promise<string[]> {
  const safe = name
    .replace(/[^a-z0-9-]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase();
  const saved: string[] = [];
  let n = 0;
  for (const s of sessions) {
    if (!s) continue;
    for (const page of s.context.pages()) {
      const file = path.join('test-results', `${safe}${n ? `-${n}` : ''}.png`);
      n += 1;
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        saved.push(file);
      } catch {
        // A crashed page cannot be photographed; the assertion error already says why.
      }
    }
  }
  return saved;
}

/** After each failed test of the suite: a screenshot of every open page (named `<prefix> <test>`), and where they went. */
export function screenshotOnFailure(prefix: string, sessions: () => (BrowserSession | undefined)[]): void {
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    const files = await screenshotAll(`${prefix} ${ctx.task.name}`.trim(), sessions());
    console.error(`Screenshots of the failed step: ${files.join(', ') || 'none'}`);
  });
}

/** Creates a project from the organization's projects page; resolves when its page is open, with that page's path. */
export async function createProject(page: Page, name: string, slug: string): Promise<string> {
  await page.getByLabel('Project name').fill(name);
  await page.getByRole('button', { name: 'Create project' }).click();
  await page.waitForURL(new RegExp(`/projects/${slug}$`));
  return new URL(page.url()).pathname;
}

/** With E2E_SCREENSHOT_DIR set, keeps a picture of each step for a human to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = E2E.screenshotDir;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

export const visible = (l: Locator) => l.waitFor({ state: 'visible' });
export const hidden = (l: Locator) => l.waitFor({ state: 'hidden' });

/** A row of a labelled table, by the row's own label (tables label rows by key, email, name). */
export const row = (page: Page, table: string, name: string) =>
  page.getByRole('table', { name: table }).getByRole('row', { name, exact: true });

export interface Person {
  name: string;
  email: string;
  password: string;
  org?: string;
}

/** Fills the sign-up form at `path` (which may carry `?next=`). */
export async function signUp(page: Page, who: Person, at = '/signup'): Promise<void> {
  if (at) await page.goto(at);
  await page.getByLabel('Name', { exact: true }).fill(who.name);
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  if (who.org) await page.getByLabel('Organization name').fill(who.org);
  await page.getByRole('button', { name: 'Sign up' }).click();
}

export async function logIn(page: Page, who: Person): Promise<void> {
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}
