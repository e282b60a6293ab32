const BUCKETS = 10;

/**
 * A count over the last `windowMs`, kept in 10 buckets of windowMs/10 each: O(1) per call, no
 * allocation after construction, and at most one bucket (10 %) of imprecision at the window's edge.
 */
export class SlidingCounter {
  private readonly counts = new Float64Array(BUCKETS);
  private readonly bucketMs: number;
  private epoch = Number.NEGATIVE_INFINITY;
  private sum = 0;

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / BUCKETS);
  }

  add(now: number, n = 1): void {
    this.advance(now);
    const i = slot(this.epoch);
    this.counts[i] = (this.counts[i] ?? 0) + n;
    this.sum += n;
  }

  total(now: number): number {
    this.advance(now);
    return this.sum;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
  }

  /** Clears the buckets that fell out of the window since the last call (at most all ten). */
  private advance(now: number): void {
    const epoch = Math.floor(now / this.bucketMs);
    if (epoch <= this.epoch) return;
    if (epoch - this.epoch >= BUCKETS) {
      this.reset();
    } else {
      for (let e = this.epoch + 1; e <= epoch; e++) {
        this.sum -= this.counts[slot(e)] ?? 0;
        this.counts[slot(e)] = 0;
      }
    }
    this.epoch = epoch;
  }
}

const slot = (epoch: number): number => ((epoch % BUCKETS) + BUCKETS) % BUCKETS;
