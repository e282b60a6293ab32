/** What one consumer of a stream group does; the loop decides when. */
export interface StreamConsumerSteps {
  /** Takes back entries a dead consumer (or this one, before a restart) left pending. */
  recover(): Promise<unknown>;
  /** One blocking read and the handling of what it returned. */
  poll(): Promise<unknown>;
  /** Removes acknowledged entries; returns how many. */
  trim(): Promise<number>;
}

export interface StreamConsumerLoopOptions {
  /** `recover` runs this often, and after every failure. */
  claimIdleMs: number;
  /** Names the work in the retry warning: `usage batch` → "usage batch not stored, retrying in …". */
  what: string;
  logger: { warn(message: string): void; debug(message: string): void };
}

const MAX_BACKOFF_MS = 10_000;
const TRIM_EVERY_MS = 1_000;

/**
 * The run loop shared by the stream consumers that store usage exactly once (the gateway's
 * usage writer, the marketplace meter): recover, poll, trim about once a second, and back off
 * exponentially (≤ 10 s) after a failure. `stop` wakes a sleeping back-off and waits for the
 * batch in hand, so it is committed and acknowledged before the connection closes.
 */
export class StreamConsumerLoop {
  private running = false;
  private done: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly steps: StreamConsumerSteps,
    private readonly options: StreamConsumerLoopOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.done;
  }

  private async run(): Promise<void> {
    const { steps, options } = this;
    let failures = 0;
    let lastRecovery = 0;
    let lastTrim = 0;
    while (this.running) {
      try {
        if (failures > 0 || Date.now() - lastRecovery >= options.claimIdleMs) {
          await steps.recover();
          lastRecovery = Date.now();
        }
        await steps.poll();
        if (Date.now() - lastTrim >= TRIM_EVERY_MS) {
          const trimmed = await steps.trim();
          if (trimmed > 0) options.logger.debug(`trimmed ${trimmed} acknowledged entries`);
          lastTrim = Date.now();
        }
        failures = 0;
      } catch (err) {
        failures++;
        const wait = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(failures, 6));
        options.logger.warn(`${options.what} not stored, retrying in ${wait} ms: ${err instanceof Error ? err.message : String(err)}`);
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          setTimeout(resolve, wait).unref();
        });
        this.wake = undefined;
      }
    }
  }
}
