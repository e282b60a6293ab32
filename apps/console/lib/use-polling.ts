'use client';

import { useEffect } from 'react';

/**
 * Calls `reload` every `intervalMs` while the tab is visible; `null` pauses. Lists poll fast
 * while something is in progress and slowly otherwise, so a `git push` shows up by itself.
 */
export function usePolling(reload: () => Promise<void>, intervalMs: number | null): void {
  useEffect(() => {
    if (intervalMs === null) return;
    let running = false;
    const t = setInterval(() => {
      if (running || document.visibilityState === 'hidden') return;
      running = true;
      void reload().finally(() => (running = false));
    }, intervalMs);
    return () => clearInterval(t);
  }, [reload, intervalMs]);
}

export const FAST_POLL_MS = 2_000;
export const SLOW_POLL_MS = 10_000;
