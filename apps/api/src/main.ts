import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from '@slipway/config';
import { createApi } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApi(config);
  await app.listen({ host: config.API_HOST, port: config.API_PORT });
  new Logger('api').log(`api listening on http://${config.API_HOST}:${config.API_PORT} (docs at /api/docs)`);
}

main().catch((err: unknown) => {
  // A configuration problem is the operator's to fix: print the list, not a stack trace.
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
