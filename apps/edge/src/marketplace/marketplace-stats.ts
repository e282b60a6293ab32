import type { MarketplaceEdgeProblemCode } from '@slipway/contracts';

/** Lifetime counts of listing-host answers, for /__edge/metrics (a few increments per call). */
export class MarketplaceStats {
  admitted = 0;
  readonly refused = new Map<MarketplaceEdgeProblemCode, number>();

  refuse(code: MarketplaceEdgeProblemCode): void {
    this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
  }
}
