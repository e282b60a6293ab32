import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The apps under libs/testing/sample-apps (see its README for what each does). */
export const SAMPLE_APPS = ['node-http', 'static-site', 'dockerfile-app', 'unhealthy', 'crash-on-start', 'express-yarn', 'anthropic-npm', 'hono-pnpm', 'nextjs-standalone', 'vite-spa', 'sveltekit-node', 'procfile-app', 'shop'] as const;
export type SampleAppName = (typeof SAMPLE_APPS)[number];

/**
 * Absolute folder of a sample app. Resolved from this file, so it works from src (tests)
 * and dist alike. Treat it as read-only: copy it before `git init` or editing VERSION.
 */
export function sampleAppPath(name: SampleAppName): string {
  const dir = resolve(__dirname, '..', 'sample-apps', name);
  if (!SAMPLE_APPS.includes(name) || !existsSync(dir)) throw new Error(`unknown sample app: ${name} (one of ${SAMPLE_APPS.join(', ')})`);
  return dir;
}
