import type { Logger } from '@nestjs/common';
import type { GatewayInvalidation, GatewayInvalidationEvent } from '@slipway/redis';

/**
 * Publishes an invalidation after a committed change. It applies in this process before the
 * Redis round trip; if Redis is down the others drop their entry when it expires (≤ 30 s), so
 * the change itself is never failed for it.
 */
export async function announce(
  invalidation: Pick<GatewayInvalidation, 'publish'>,
  event: GatewayInvalidationEvent,
  logger: Logger,
): Promise<void> {
  try {
    await invalidation.publish(event);
  } catch (err) {
    logger.warn(
      `gateway: could not tell other api processes (${JSON.stringify(event)}): ${err instanceof Error ? err.message : String(err)}; their cached callers expire within 30 s`,
    );
  }
}
