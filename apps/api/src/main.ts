import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@slipway/config';
import { keepRunningOnUnhandledRejections } from '@slipway/errors';
import { createApi } from './bootstrap';
import { GatewaySocketServer } from './gateway/gateway-socket.server';

async function main(): Promise<void> {
  const config = loadConfig();
  // A rejection nothing handled is logged and counted (slipway_unhandled_rejections_total on /metrics), not a reason to exit.
  keepRunningOnUnhandledRejections((message) => new Logger('process').error(message));
  const app = await createApi(config);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  // Deployed apps reach the gateway through their project's relay, which forwards to this socket.
  const socket = await app.get(GatewaySocketServer).listen();
  const logger = new Logger('api');
  logger.log(`api listening on http://${config.API_HOST}:${config.API_PORT} (docs at /api/docs); model gateway for deployed apps on ${socket}`);
  // Nest closes gracefully on these signals; a request that never ends (a stalled upload) must
  // not keep the process alive forever.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      setTimeout(() => {
        logger.warn(`still draining ${SHUTDOWN_GRACE_MS / 1000} s after ${signal}: exiting`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS).unref();
    });
  }
}

const SHUTDOWN_GRACE_MS = 10_000;

main().catch((err: unknown) => {
  // A configuration problem is the operator's to fix: print the list, not a stack trace.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
