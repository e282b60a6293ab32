import { ConfigError, loadConfig } from '@slipway/config';
import { ADMIN_HOST, startEdge } from './edge';
import { createLogger } from './log';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const edge = await startEdge({ host: config.EDGE_HOST, port: config.EDGE_PORT, adminPort: config.EDGE_ADMIN_PORT, redisUrl: config.REDIS_URL, dataDir: config.DATA_DIR, log });
  log.info(`edge listening on http://${config.EDGE_HOST}:${edge.port} (apps at http://<project>.${config.APPS_DOMAIN}:${edge.port}); admin endpoints on http://${ADMIN_HOST}:${edge.adminPort}/__edge/`, { routeTableVersion: edge.routes.version });
  let signalled = false;
  const stop = (signal: string) => {
    if (signalled) process.exit(1); // a second signal: do not wait any longer
    signalled = true;
    log.info('shutting down: draining in-flight requests', { signal, inFlight: edge.traffic.inFlight });
    edge.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
