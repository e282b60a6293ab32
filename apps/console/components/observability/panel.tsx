'use client';

import type { ReactNode } from 'react';
import type { ApiError } from '../../lib/api';
import { Button } from '../ui/button';

/**
 * One panel of the observability page with its own loading, error and empty states: a panel
 * that fails says so in place and offers a retry; the others keep working. The body keeps a
 * minimum height, so data arriving (or a poll) never moves the panels below.
 */
export function Panel({
  title,
  description,
  actions,
  query,
  empty,
  minHeight = 220,
  children,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
  query: { isPending: boolean; error: ApiError | null; data: unknown; refetch: () => unknown; isFetching: boolean };
  /** Set when the data has nothing to show: the sentence says what would fill the panel. */
  empty?: string | null;
  minHeight?: number;
  children: () => ReactNode;
}) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  let body: ReactNode;
  if (query.error && !query.data) {
    body = (
      <div role="alert" className="flex h-full flex-col items-start justify-center gap-2 text-sm">
        <p className="text-red-700">
          {query.error.status === 404
            ? `${title} is not available on this server yet.`
            : `${title} could not be loaded: ${query.error.message}`}
        </p>
        <Button size="sm" onClick={() => void query.refetch()}>
          Retry
        </Button>
      </div>
    );
  } else if (query.isPending) {
    body = (
      <div role="status" className="flex h-full items-center gap-2 text-sm text-zinc-500">
        <span className="size-4 animate-spin rounded-full border-2 border-zinc-300 border-t-zinc-700" aria-hidden />
        Loading {title.toLowerCase()}…
      </div>
    );
  } else if (empty) {
    body = <p className="flex h-full items-center justify-center text-center text-sm text-zinc-500">{empty}</p>;
  } else body = children();

  return (
    <section aria-labelledby={id} className="mb-4 rounded-lg border border-zinc-200 bg-white" aria-busy={query.isFetching}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2.5">
        <div>
          <h2 id={id} className="text-sm font-semibold text-zinc-900">
            {title}
          </h2>
          {description ? <div className="mt-0.5 text-xs text-zinc-500">{description}</div> : null}
        </div>
        {actions ? <div className="flex flex-wrap items-center gap-2">{actions}</div> : null}
      </div>
      <div className="p-4" style={{ minHeight }}>
        {body}
      </div>
    </section>
  );
}

/** A small segmented control (percentile, grouping, metric). */
export function Segmented<T extends string>({
  label,
  options,
  value,
  onChange,
}: {
  label: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (v: T) => void;
}) {
  return (
    <div role="group" aria-label={label} className="inline-flex rounded-md border border-zinc-300 bg-white p-0.5">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          aria-pressed={o.value === value}
          onClick={() => onChange(o.value)}
          className={`rounded px-2 py-0.5 text-xs ${o.value === value ? 'bg-zinc-900 font-medium text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
