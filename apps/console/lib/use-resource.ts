'use client';

import type { RouteName } from '@slipway/contracts';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, api, type ApiResult } from './api';

export interface Resource<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (update: (current: T | null) => T | null) => void;
}

/** Loads one GET route; re-loads when its params change. */
export function useResource<N extends RouteName>(
  name: N,
  params: Record<string, string>,
  options: { enabled?: boolean; query?: Record<string, string | number | undefined> } = {},
): Resource<ApiResult<N>> {
  const [data, setDataState] = useState<ApiResult<N> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(true);
  const enabled = options.enabled ?? true;
  const key = JSON.stringify([name, params, options.query ?? null]);

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const [routeName, routeParams, query] = JSON.parse(key) as [N, Record<string, string>, Record<string, string | number> | null];
      setLoading(true);
      try {
        const result = await api(routeName, { params: routeParams, query: query ?? undefined, signal });
        setDataState(result);
        setError(null);
      } catch (err) {
        if (signal?.aborted) return;
        setError(err instanceof ApiError ? err : new ApiError(0, null, String(err)));
      } finally {
        if (!signal?.aborted) setLoading(false);
      }
    },
    [key],
  );

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    void load(controller.signal);
    return () => controller.abort();
  }, [load, enabled]);

  const reload = useCallback(() => load(), [load]);
  const setData = useCallback((update: (current: ApiResult<N> | null) => ApiResult<N> | null) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}
