'use client';

import type { CreatedApiListingDto } from '@slipway/contracts';
import Link from 'next/link';
import { useState } from 'react';
import { useApiQuery } from '../../lib/api-query';
import { formatMicros } from '../../lib/marketplace/money';
import { useCan, useOrg } from '../../lib/org';
import { Button } from '../ui/button';
import { Badge, Empty, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { CreateListingForm } from './create-listing-form';
import { EdgeSecretNotice } from './edge-secret';
import { PayoutsSection } from './payouts-section';

const STATUS_TONE = { DRAFT: 'zinc', PUBLISHED: 'green', ARCHIVED: 'amber' } as const;

/** The publisher's side: the organization's APIs, a form to list an environment, revenue and payout statements. */
export function ApisView() {
  const org = useOrg();
  const canWrite = useCan('MEMBER');
  const listings = useApiQuery('listApiListings', { org: org.slug });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedApiListingDto | null>(null);
  const from = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1)).toISOString();
  const revenue = useApiQuery('organizationRevenue', { org: org.slug }, { query: { from } });

  return (
    <>
      <PageHeader
        title="APIs"
        description="Publish an environment as an API: consumers find it in the catalog, subscribe to a plan and call it with keys; the edge enforces limits and meters every call."
        actions={
          canWrite && !creating ? (
            <Button
              variant="primary"
              onClick={() => {
                setCreating(true);
                setCreated(null);
              }}
            >
              New API
            </Button>
          ) : null
        }
      />
      {created ? (
        <Section title={`${created.name} is created (draft)`}>
          <div className="flex flex-col gap-3">
            <EdgeSecretNotice secret={created.edgeSecret} />
            <Link href={`/o/${org.slug}/apis/${created.slug}`} className="text-sm font-medium text-blue-700 hover:underline">
              Add plans and publish {created.name}
            </Link>
          </div>
        </Section>
      ) : null}
      {creating ? (
        <Section
          title="New API"
          actions={
            <Button variant="ghost" size="sm" onClick={() => setCreating(false)}>
              Cancel
            </Button>
          }
        >
          <CreateListingForm
            onCreated={(l) => {
              setCreated(l);
              setCreating(false);
            }}
          />
        </Section>
      ) : null}
      <Section title="Published and draft APIs">
        <ResourceState query={listings} what="APIs">
          {(list) =>
            list.length === 0 ? (
              <Empty>No API yet. Deploy an app, then list one of its environments as an API.</Empty>
            ) : (
              <Table label="APIs" head={['API', 'Status', 'Environment', 'Consumers call', 'Revenue this month']}>
                {list.map((l) => {
                  const r = revenue.data?.listings.find((x) => x.slug === l.slug);
                  return (
                    <tr key={l.id} aria-label={l.name}>
                      <Td>
                        <Link href={`/o/${org.slug}/apis/${l.slug}`} className="font-medium text-zinc-900 hover:underline">
                          {l.name}
                        </Link>
                        <div className="text-xs text-zinc-500">{l.summary}</div>
                      </Td>
                      <Td>
                        <Badge tone={STATUS_TONE[l.status]}>{l.status.toLowerCase()}</Badge>
                      </Td>
                      <Td className="text-xs">{l.project ? `${l.project} / ${l.environment}` : 'project deleted'}</Td>
                      <Td className="font-mono text-xs">{l.baseUrl}</Td>
                      <Td className="tabular-nums">{r ? formatMicros(r.draftMicros + r.invoicedMicros) : '—'}</Td>
                    </tr>
                  );
                })}
              </Table>
            )
          }
        </ResourceState>
      </Section>
      {revenue.data && revenue.data.listings.length ? (
        <Section
          title="Revenue this month"
          description={`Platform fee ${(revenue.data.platformFeeBps / 100).toLocaleString('en-US')} % of what was paid, minus credit notes.`}
        >
          <dl aria-label="Revenue totals" className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
            {(
              [
                ['Drafts so far', revenue.data.totals.draftMicros],
                ['Invoiced', revenue.data.totals.invoicedMicros],
                ['Paid', revenue.data.totals.paidMicros],
                ['Platform fee', revenue.data.totals.feeMicros],
                ['Net', revenue.data.totals.netMicros],
              ] as const
            ).map(([label, v]) => (
              <div key={label} className="rounded-md border border-zinc-200 px-2.5 py-1.5">
                <dt className="text-xs text-zinc-500">{label}</dt>
                <dd className="font-medium tabular-nums">{formatMicros(v)}</dd>
              </div>
            ))}
          </dl>
        </Section>
      ) : null}
      <PayoutsSection />
    </>
  );
}
