// Hono on PORT; `/` names the runtime and whether TypeScript (a devDependency) is still installed.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const typescriptInstalled = (() => {
  try {
    require.resolve('typescript');
    return true;
  } catch {
    return false;
  }
})();

const app = new Hono();
app.get('/', (c) => c.text(`hono-pnpm on node ${process.versions.node}; typescript installed: ${typescriptInstalled}\n`));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000) });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
