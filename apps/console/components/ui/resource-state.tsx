'use client';

import type { ReactNode } from 'react';
import type { ApiError } from '../../lib/api';
import { ErrorAlert } from './alert';
import { Button } from './button';
import { Loading } from './layout-bits';
import { NotFoundView } from './not-found-view';

/** What `ResourceState` reads of a `useApiQuery` result. */
export interface QueryView<T> {
  data: T | undefined;
  error: ApiError | null;
  refetch: () => Promise<unknown>;
}

/**
 * Renders the loading, not-found and error states of a query, else its data. A failed refetch
 * keeps showing the data it already has (the next poll may succeed).
 */
export function ResourceState<T>({ query, what, children }: { query: QueryView<T>; what?: string; children: (data: T) => ReactNode }) {
  const { data, error, refetch } = query;
  if (error?.status === 404) return <NotFoundView what={what} />;
  if (error && data === undefined) {
    return (
      <div className="flex flex-col items-start gap-2">
        <ErrorAlert>{error.message}</ErrorAlert>
        <Button size="sm" onClick={() => void refetch()}>
          Retry
        </Button>
      </div>
    );
  }
  if (data === undefined) return <Loading />;
  return <>{children(data)}</>;
}
