// The "Slipway is ready" banner: the URLs a user opens, built from the same port variables
// the apps read.
import { colour } from './log.mjs';

/** @param {NodeJS.ProcessEnv} env @param {string} took e.g. "12.3 s" */
export function readyBanner(env, took) {
  const consolePort = env.CONSOLE_PORT || 3000;
  const apiPort = env.API_PORT || 4000;
  const edgePort = env.EDGE_PORT || 8080;
  const edgeAdminPort = env.EDGE_ADMIN_PORT || 8081;
  const apps = env.APPS_DOMAIN || 'localhost';
  const rows = [
    ['Console', `http://localhost:${consolePort}`],
    ['API', `http://localhost:${apiPort}`],
    ['API docs', `http://localhost:${apiPort}/api/docs`],
    ['Gateway', `ANTHROPIC_BASE_URL=http://localhost:${apiPort}  OPENAI_BASE_URL=http://localhost:${apiPort}/v1`],
    ['Apps', `http://<project>.${apps}:${edgePort}  http://<project>--<env>.${apps}:${edgePort}`],
    ['Edge admin', `http://127.0.0.1:${edgeAdminPort}/__edge/status  (this machine only)`],
  ];
  const line = '─'.repeat(60);
  return [
    '',
    colour.green(line),
    colour.bold(colour.green(`  Slipway is ready (${took})`)),
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(12)}${colour.bold(v)}`),
    '',
    colour.dim('  Ctrl-C stops the apps and the PostgreSQL/Redis this command started.'),
    colour.dim('  A Docker engine it started keeps running (your deployed apps live there).'),
    colour.green(line),
    '',
  ].join('\n');
}
