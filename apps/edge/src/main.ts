import { ConfigError, loadConfig } from '@slipway/config';
import { createEdgeServer } from './server';

function main(): void {
  const config = loadConfig();
  const server = createEdgeServer();
  server.listen(config.EDGE_PORT, config.EDGE_HOST, () => {
    console.log(`edge listening on http://${config.EDGE_HOST}:${config.EDGE_PORT} (apps at http://<project>.${config.APPS_DOMAIN}:${config.EDGE_PORT})`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

try {
  main();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
}
