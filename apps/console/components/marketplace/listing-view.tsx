'use client';

import type { CatalogListingDto } from '@slipway/contracts';
import { useMemo, useState } from 'react';
import { useApiQuery } from '../../lib/api-query';
import { categoryLabel } from '../../lib/marketplace/labels';
import { useRememberedKey } from '../../lib/marketplace/key-memory';
import { examplePath, exampleFromSchema, readApiReference, type RefOperation } from '../../lib/marketplace/openapi';
import { useSession } from '../../lib/session';
import { PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { ApiReferenceView } from './api-reference';
import { PlansTable } from './plans-table';
import { SnippetsPanel } from './snippets-panel';
import { SubscribePanel } from './subscribe-panel';
import { TryItPanel, type TryPreset } from './try-it-panel';

/** A published API's page: overview, plans, subscribe, snippets, try-it and the reference from its OpenAPI document. */
export function ListingView({ slug }: { slug: string }) {
  const q = useApiQuery('catalogListing', { slug });
  return (
    <ResourceState query={q} what="API">
      {(listing) => <ListingPage listing={listing} />}
    </ResourceState>
  );
}

function presetOf(op: RefOperation | undefined): TryPreset {
  if (!op) return { method: 'GET', path: '/', body: '' };
  const body = op.requestBody ? JSON.stringify(exampleFromSchema(op.requestBody.schema), null, 2) : '';
  return { method: op.method, path: examplePath(op), body };
}

function ListingPage({ listing }: { listing: CatalogListingDto }) {
  const reference = useMemo(() => readApiReference(listing.openApi), [listing.openApi]);
  const first = reference.operations.find((o) => o.method === 'GET') ?? reference.operations[0];
  const [preset, setPreset] = useState<TryPreset>(() => presetOf(first));
  const key = useRememberedKey(listing.slug);
  const { state } = useSession();

  const keyNote = key
    ? 'Filled with the key you were just shown. Keep it secret; rotate it on your subscription page if it leaks.'
    : state.status === 'authenticated'
      ? `Replace YOUR_API_KEY with one of your keys (keys are shown once; create one on your organization's Subscriptions page).`
      : 'Replace YOUR_API_KEY with your key: subscribe to get one.';

  const tryOp = (op: RefOperation) => {
    setPreset(presetOf(op));
    document.getElementById('try-it')?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  };

  return (
    <>
      <PageHeader
        crumbs={[{ href: '/catalog', label: 'Catalog' }]}
        title={listing.name}
        description={
          <span>
            {listing.summary} · by {listing.publisher.name} · {categoryLabel(listing.category)}
            {listing.termsUrl ? (
              <>
                {' · '}
                <a href={listing.termsUrl} className="text-blue-700 hover:underline" rel="noopener noreferrer" target="_blank">
                  Terms
                </a>
              </>
            ) : null}
          </span>
        }
      />
      <Section title="Overview">
        <dl className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-zinc-500">Base URL</dt>
          <dd>
            <code aria-label="Base URL" className="font-mono">
              {listing.baseUrl}
            </code>
          </dd>
          <dt className="text-zinc-500">Authentication</dt>
          <dd>
            <code className="font-mono text-xs">Authorization: Bearer swk_live_…</code> or{' '}
            <code className="font-mono text-xs">x-api-key: swk_live_…</code>; test keys (
            <code className="font-mono text-xs">swk_test_…</code>) are never billed.
          </dd>
          <dt className="text-zinc-500">Limits</dt>
          <dd>Every answer carries RateLimit-Policy and RateLimit headers; 429 with Retry-After when a limit or quota is reached.</dd>
          {reference.version ? (
            <>
              <dt className="text-zinc-500">Version</dt>
              <dd>{reference.version}</dd>
            </>
          ) : null}
        </dl>
      </Section>
      <Section title="Plans and prices">
        <PlansTable plans={listing.plans} />
      </Section>
      <Section title="Subscribe">
        <SubscribePanel slug={listing.slug} plans={listing.plans} />
      </Section>
      <Section title="Code snippets">
        <SnippetsPanel
          call={{ baseUrl: listing.baseUrl, method: preset.method, path: preset.path, body: preset.body, apiKey: key }}
          keyNote={keyNote}
        />
      </Section>
      <section id="try-it" className="scroll-mt-20">
        <Section
          title="Try it"
          description="Calls go to the API's host at the edge with the key you give: they count against your limits like any other call."
        >
          <TryItPanel slug={listing.slug} baseUrl={listing.baseUrl} apiKey={key} preset={preset} />
        </Section>
      </section>
      <Section title="API reference">
        <ApiReferenceView document={listing.openApi} onTry={tryOp} />
      </Section>
    </>
  );
}
