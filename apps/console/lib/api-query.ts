'use client';

import type { RouteName } from '@slipway/contracts';
import { useQuery, type UseQueryOptions } from '@tanstack/react-query';
import { api, type ApiError, type ApiResult } from './api';

type Query = Record<string, string | number | undefined>;

/** The cache key of one GET route: its name, path params and query, so every panel reading the same thing shares it. */
export const apiQueryKey = (name: RouteName, params: Record<string, string> = {}, query?: Query) => [name, params, query ?? {}] as const;

/**
 * Reads one GET route of the contracts through the console's query cache. `refetchInterval`
 * polls (paused while the tab is hidden); invalidate with `queryClient.invalidateQueries({ queryKey: [name] })`
 * after a change.
 */
export function useApiQuery<N extends RouteName>(
  name: N,
  params: Record<string, string>,
  options: { query?: Query } & Omit<UseQueryOptions<ApiResult<N>, ApiError>, 'queryKey' | 'queryFn'> = {},
) {
  const { query, ...rest } = options;
  return useQuery<ApiResult<N>, ApiError>({
    queryKey: apiQueryKey(name, params, query),
    queryFn: ({ signal }) => api(name, { params, query, signal }),
    ...rest,
  });
}
