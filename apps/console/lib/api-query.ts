'use client';

import type { RouteName } from '@slipway/contracts';
import { useQuery, useQueryClient, type QueryClient, type UseQueryOptions } from '@tanstack/react-query';
import { useCallback } from 'react';
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

/**
 * Changes one route's cached answer in place (a local or optimistic update after a change, when
 * the change's answer already says what the list now holds); every panel reading it re-renders.
 */
export function setApiQueryData<N extends RouteName>(
  client: QueryClient,
  name: N,
  params: Record<string, string>,
  update: (current: ApiResult<N> | undefined) => ApiResult<N> | undefined,
  query?: Query,
): void {
  client.setQueryData<ApiResult<N>>(apiQueryKey(name, params, query), update);
}

/**
 * Marks every cached answer of these routes stale (whatever their params) and refetches those on
 * screen; resolves once they are back. Call it after a change, with the routes whose lists it affects.
 */
export async function invalidateApi(client: QueryClient, ...names: RouteName[]): Promise<void> {
  await Promise.all(names.map((name) => client.invalidateQueries({ queryKey: [name] })));
}

/** `invalidateApi` bound to the console's query cache. */
export function useInvalidateApi(): (...names: RouteName[]) => Promise<void> {
  const client = useQueryClient();
  return useCallback((...names: RouteName[]) => invalidateApi(client, ...names), [client]);
}
