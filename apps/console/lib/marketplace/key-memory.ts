'use client';

import { useSyncExternalStore } from 'react';

/**
 * Consumer keys are shown once: the api keeps only their hash. While this tab lives (client-side
 * navigation), the console remembers the last key it was shown per listing, so the listing
 * page's snippets and try-it panel can use it. Memory only — never storage: a reload, another
 * tab or signing out (a full navigation) forgets it.
 */
const keys = new Map<string, string>();
const listeners = new Set<() => void>();

export function rememberKey(listingSlug: string, key: string): void {
  keys.set(listingSlug, key);
  for (const l of listeners) l();
}

export function useRememberedKey(listingSlug: string): string | null {
  return useSyncExternalStore(
    (cb) => {
      listeners.add(cb);
      return () => listeners.delete(cb);
    },
    () => keys.get(listingSlug) ?? null,
    () => null,
  );
}
