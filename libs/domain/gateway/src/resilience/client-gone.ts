import type { CancelSignal } from '@slipway/ai-providers';

export type { CancelSignal } from '@slipway/ai-providers';

/**
 * The signal of one gateway request: fires once, when its client goes away. An AbortController
 * would do, but Node builds a whole EventTarget for each one (≈10 µs per request on the hot path,
 * docs/benchmarks.md); this is a plain listener list with the same behaviour for the few
 * operations the gateway uses. Anything typed `CancelSignal` also takes a DOM AbortSignal.
 */
export class ClientGone implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: (() => void)[] | null = null;

  /** Like AbortSignal: a listener added after the abort is never called. Every listener runs once. */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (!this.aborted) (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const i = this.listeners?.indexOf(listener) ?? -1;
    if (i !== -1) this.listeners!.splice(i, 1);
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = Object.assign(new Error('The client went away.'), { name: 'AbortError' });
    const listeners = this.listeners;
    this.listeners = null;
    if (listeners) for (const listener of listeners) listener();
  }
}

/** Resolves true after `ms`, or false as soon as the signal fires (at once if it already has). */
export function sleepUnlessCancelled(ms: number, signal?: CancelSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
