import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { EdgeListing } from '@slipway/contracts';
import { proxyHttp, type ProxyTarget } from '../http-proxy';
import type { MarketplaceAdmission } from './admission';
import type { MarketplaceStats } from './marketplace-stats';
import { sendProblem } from './problems';
import type { UsageMeter } from './usage-meter';

export interface ListingProxyDeps {
  admission: MarketplaceAdmission;
  meter: UsageMeter;
  stats: MarketplaceStats;
  /** Called when Redis fails during admission (the call is refused with 503). */
  onRedisError?: (err: Error) => void;
}

/**
 * Serves one call to a listing host: admission, then the normal proxy path (http-proxy.ts)
 * with the consumer's credentials and any client-sent `slipway-*` headers replaced by the
 * edge's, then the usage event once the response closed.
 *
 * Billing rule: a call is metered when it matched a billable operation, the app answered
 * (its response head reached the edge), and the status is below 500 (or the listing bills
 * server errors). A client that leaves after the app answered is billed with the app's status;
 * one that leaves before, or a call the app never answered (the edge's 502), is not.
 */
export function serveListing(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, listing: EdgeListing, deps: ListingProxyDeps): void {
  const started = performance.now();
  deps.admission.admit(req, listing).then(
    (admission) => {
      if (res.destroyed) return; // the client left while Redis answered: nothing was forwarded
      if (!admission.admitted) {
        deps.stats.refuse(admission.code);
        return sendProblem(res, admission.code, target.requestId, admission.detail, admission.headers);
      }
      deps.stats.admitted++;
      for (const name in admission.headers) res.setHeader(name, admission.headers[name]!);
      let appStatus: number | undefined;
      const usage = admission.usage;
      if (usage) {
        res.once('close', () => {
          if (appStatus === undefined || (appStatus >= 500 && !listing.billServerErrors)) return;
          deps.meter.record({ ...usage, status: appStatus, durationMs: Math.round((performance.now() - started) * 1_000) / 1_000, releaseId: target.live.route.releaseId });
        });
      }
      proxyHttp(req, res, { ...target, forwarded: admission.forwarded, onUpstreamResponse: (status) => (appStatus = status) });
    },
    (err: unknown) => {
      deps.onRedisError?.(err as Error);
      deps.stats.refuse('metering_unavailable');
      if (!res.headersSent && !res.destroyed) sendProblem(res, 'metering_unavailable', target.requestId, 'Limits and usage cannot be checked right now (Redis is unreachable); the call was not forwarded.', { 'retry-after': '1' });
    },
  );
}
