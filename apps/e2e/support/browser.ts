import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; tests never download a browser. */
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
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

export const CONSOLE_URL = (process.env.E2E_CONSOLE_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');

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
