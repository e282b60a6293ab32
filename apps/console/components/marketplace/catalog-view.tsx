'use client';

import { API_CATEGORIES, type CatalogEntryDto } from '@slipway/contracts';
import { keepPreviousData } from '@tanstack/react-query';
import Link from 'next/link';
import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useEffect, useState, type FormEvent } from 'react';
import { useApiQuery } from '../../lib/api-query';
import { categoryLabel } from '../../lib/marketplace/labels';
import { lowestPriceLabel } from '../../lib/marketplace/pricing';
import { Button } from '../ui/button';
import { SelectField, TextField } from '../ui/field';
import { Empty, PageHeader } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';

const PAGE_SIZE = 24;

/** The public catalog: search and category in the URL (shareable, back button works), a card per published API. */
export function CatalogView() {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const q = search.get('q') ?? '';
  const category = search.get('category') ?? '';
  const page = Math.max(1, Number(search.get('page') ?? 1) || 1);
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);

  const go = (next: Record<string, string>) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ q, category, ...next })) if (v) params.set(k, v);
    router.push(`${pathname}${params.size ? `?${params.toString()}` : ''}`, { scroll: false });
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ q: text.trim(), page: '' });
  };

  const query = useApiQuery(
    'catalog',
    {},
    { query: { q: q || undefined, category: category || undefined, page, pageSize: PAGE_SIZE }, placeholderData: keepPreviousData },
  );

  return (
    <>
      <PageHeader
        title="API catalog"
        description="APIs published on this Slipway. Subscribe with any account; keys, usage and invoices are on your organization's pages."
      />
      <form role="search" onSubmit={submit} className="mb-6 flex flex-wrap items-end gap-3">
        <TextField
          label="Search APIs"
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="weather, geocoding, …"
          fieldClassName="w-72"
        />
        <SelectField label="Category" value={category} onChange={(e) => go({ category: e.target.value, page: '' })} fieldClassName="w-48">
          <option value="">All categories</option>
          {API_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </SelectField>
        <Button type="submit">Search</Button>
      </form>
      <ResourceState query={query} what="catalog">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>{q || category ? 'No published API matches this search.' : 'No API is published yet.'}</Empty>
          ) : (
            <>
              <ul aria-label="APIs" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {data.items.map((entry) => (
                  <ListingCard key={entry.slug} entry={entry} />
                ))}
              </ul>
              {data.total > data.page * data.pageSize || data.page > 1 ? (
                <nav aria-label="Pages" className="mt-6 flex items-center gap-3 text-sm">
                  <Button size="sm" disabled={data.page <= 1} onClick={() => go({ page: String(data.page - 1) })}>
                    Previous
                  </Button>
                  <span className="text-zinc-600">
                    Page {data.page} of {Math.max(1, Math.ceil(data.total / data.pageSize))}
                  </span>
                  <Button size="sm" disabled={data.total <= data.page * data.pageSize} onClick={() => go({ page: String(data.page + 1) })}>
                    Next
                  </Button>
                </nav>
              ) : null}
            </>
          )
        }
      </ResourceState>
    </>
  );
}

/**
 * One API's card. Catalog entries carry no plans, so the price line reads the listing itself
 * (`catalogListing`, the same cache entry its page uses: opening the card shows it at once).
 */
function ListingCard({ entry }: { entry: CatalogEntryDto }) {
  const listing = useApiQuery('catalogListing', { slug: entry.slug }, { staleTime: 60_000 });
  return (
    <li aria-label={entry.name} className="flex flex-col rounded-lg border border-zinc-200 bg-white p-4 hover:border-zinc-400">
      <div className="mb-1 flex items-center justify-between gap-2">
        <Link href={`/catalog/${entry.slug}`} className="truncate font-semibold text-zinc-900 hover:underline">
          {entry.name}
        </Link>
        <span className="shrink-0 rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-600">{categoryLabel(entry.category)}</span>
      </div>
      <p className="mb-3 line-clamp-3 flex-1 text-sm text-zinc-600">{entry.summary}</p>
      <div className="flex items-center justify-between gap-2 text-xs text-zinc-500">
        <span>by {entry.publisher.name}</span>
        <span aria-label="Price" className="font-medium text-zinc-800">
          {listing.data ? lowestPriceLabel(listing.data.plans) : '…'}
        </span>
      </div>
    </li>
  );
}
