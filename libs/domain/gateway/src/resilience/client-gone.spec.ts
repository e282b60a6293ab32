import { describe, expect, it } from 'vitest';
import { ClientGone, sleepUnlessCancelled } from './client-gone';

describe('ClientGone', () => {
  it('calls each listener once on abort, not removed ones, and none added afterwards', () => {
    const gone = new ClientGone();
    const calls: string[] = [];
    const a = () => calls.push('a');
    const b = () => calls.push('b');
    gone.addEventListener('abort', a);
    gone.addEventListener('abort', b);
    gone.removeEventListener('abort', a);
    gone.abort();
    gone.abort();
    gone.addEventListener('abort', a);
    expect(calls).toEqual(['b']);
    expect(gone.aborted).toBe(true);
    expect(gone.reason).toMatchObject({ name: 'AbortError', message: 'The client went away.' });
  });
});

describe('sleepUnlessCancelled', () => {
  it('resolves true after the delay, false as soon as the signal fires or when it already had', async () => {
    expect(await sleepUnlessCancelled(5)).toBe(true);
    const gone = new ClientGone();
    const started = Date.now();
    const sleeping = sleepUnlessCancelled(10_000, gone);
    setTimeout(() => gone.abort(), 10);
    expect(await sleeping).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await sleepUnlessCancelled(10_000, gone)).toBe(false);
    // A DOM AbortSignal fits the same parameter.
    expect(await sleepUnlessCancelled(10_000, AbortSignal.abort())).toBe(false);
  });
});
