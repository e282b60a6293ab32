'use client';

import type { RouteName } from '@slipway/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type ApiError, type ApiResult } from '../api';
import { apiQueryKey } from '../api-query';
import { isLive, pollInterval, rangeKey, rangeQuery, type TimeRange } from './range';

type Query = Record<string, string | number | undefined>;

/**
 * `useApiQuery` for a route that reads a time range. A live range ("last hour") keeps one cache
 * key while its window moves: the key holds the preset, and `from` is computed when the request
 * leaves, so `refetchInterval` polls the moving window. The previous answer stays on screen
 * while the next one loads (no blank chart, no layout shift); a fixed range never polls.
 */
export function useRangeQuery<N extends RouteName>(
  name: N,
  params: Record<string, string>,
  range: TimeRange,
  options: { query?: Query; enabled?: boolean } = {},
) {
  const extra = options.query ?? {};
  return useQuery<ApiResult<N>, ApiError>({
    queryKey: apiQueryKey(name, params, { range: rangeKey(range), ...extra }),
    queryFn: ({ signal }) => api(name, { params, query: { ...rangeQuery(range, Date.now()), ...extra }, signal }),
    refetchInterval: pollInterval(range),
    placeholderData: keepPreviousData,
    staleTime: isLive(range) ? 5_000 : Infinity,
    enabled: options.enabled ?? true,
  });
}
