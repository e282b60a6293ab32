import { RouteTableSubscriber } from '@slipway/redis';
import type { Logger } from './log';
import type { RouteSnapshot } from './route-snapshot';
import type { ApplyResult, RouteTable } from './route-table';

export interface RouteSync {
  subscriber: RouteTableSubscriber;
  close(): Promise<void>;
}

function report(log: Logger, source: string, result: ApplyResult): void {
  if (result.status === 'applied') log.info('route table applied', { source, version: result.version, removedUpstreams: result.removedUpstreams });
  else if (result.status === 'invalid') log.error('route table rejected, keeping the current one', { source, reason: result.reason });
  // A stale table from Redis is normal after the file snapshot; repeated, it means versions went backwards.
  else log.debug('route table ignored (not newer)', { source, version: result.version, current: result.currentVersion });
}

/**
 * Keeps `routes` in step with Redis: the file snapshot first (so a restart serves even with
 * Redis down), then every table the subscriber loads. Each applied table is written back to
 * the snapshot. Redis errors are logged at most every 30 s; serving never waits on Redis.
 */
export function startRouteSync(options: { redisUrl: string; routes: RouteTable; snapshot: RouteSnapshot; log: Logger }): RouteSync {
  const { routes, snapshot, log } = options;
  try {
    const saved = snapshot.read();
    if (saved !== undefined) report(log, 'file', routes.apply(saved));
  } catch (err) {
    log.warn('route snapshot unreadable, starting empty', { file: snapshot.file, error: (err as Error).message });
  }
  routes.onChange((table) => {
    snapshot.save(table).catch((err: Error) => log.warn('could not write the route snapshot', { file: snapshot.file, error: err.message }));
  });

  let lastErrorLog = 0;
  const subscriber = new RouteTableSubscriber({
    redisUrl: options.redisUrl,
    onTable: (table) => report(log, 'redis', routes.apply(table)),
    onInvalid: (err) => log.error('route table in Redis is invalid, keeping the current one', { reason: err.reason }),
    onError: (err) => {
      if (Date.now() - lastErrorLog < 30_000) return;
      lastErrorLog = Date.now();
      log.warn('redis unavailable, serving the last route table', { error: err.message, version: routes.version });
    },
  });
  subscriber.start();
  return { subscriber, close: () => subscriber.close() };
}
