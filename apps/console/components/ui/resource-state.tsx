'use client';

import type { ReactNode } from 'react';
import type { Resource } from '../../lib/use-resource';
import { ErrorAlert } from './alert';
import { Button } from './button';
import { Loading } from './layout-bits';
import { NotFoundView } from './not-found-view';

/** Renders loading, not-found and error states of a resource, else its data. */
export function ResourceState<T>({ resource, what, children }: { resource: Resource<T>; what?: string; children: (data: T) => ReactNode }) {
  const { data, error, loading, reload } = resource;
  if (error?.status === 404) return <NotFoundView what={what} />;
  if (error && !data) {
    return (
      <div className="flex flex-col items-start gap-2">
        <ErrorAlert>{error.message}</ErrorAlert>
        <Button size="sm" onClick={() => void reload()}>
          Retry
        </Button>
      </div>
    );
  }
  if (data === null) return loading ? <Loading /> : null;
  return <>{children(data)}</>;
}
