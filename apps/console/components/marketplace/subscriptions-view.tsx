'use client';

import Link from 'next/link';
import { useApiQuery } from '../../lib/api-query';
import { formatPeriod, SUBSCRIPTION_STATUS } from '../../lib/marketplace/labels';
import { priceSummary } from '../../lib/marketplace/pricing';
import { useOrg } from '../../lib/org';
import { Badge, Empty, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { InvoicesTable } from './invoices-table';

/** The consumer's side: every API the organization subscribes to, and their invoices. */
export function SubscriptionsView() {
  const org = useOrg();
  const subs = useApiQuery('listSubscriptions', { org: org.slug });
  const invoices = useApiQuery('consumerInvoices', { org: org.slug });
  return (
    <>
      <PageHeader
        title="Subscriptions"
        description={
          <span>
            APIs {org.name} calls, with their keys, usage and invoices.{' '}
            <Link href="/catalog" className="text-blue-700 hover:underline">
              Find an API in the catalog
            </Link>
          </span>
        }
      />
      <Section title="APIs">
        <ResourceState query={subs} what="subscriptions">
          {(list) =>
            list.length === 0 ? (
              <Empty>No subscription yet. Subscribe to an API from the catalog.</Empty>
            ) : (
              <Table label="Subscriptions" head={['API', 'Plan', 'Status', 'Current period', 'Keys']}>
                {list.map((s) => (
                  <tr key={s.id} aria-label={s.listing.name}>
                    <Td>
                      <Link href={`/o/${org.slug}/subscriptions/${s.id}`} className="font-medium text-zinc-900 hover:underline">
                        {s.listing.name}
                      </Link>
                      <div className="text-xs text-zinc-500">by {s.listing.publisher.name}</div>
                    </Td>
                    <Td>
                      {s.plan.name} <span className="text-xs text-zinc-500">{priceSummary(s.plan.pricing)}</span>
                    </Td>
                    <Td>
                      <Badge tone={SUBSCRIPTION_STATUS[s.status].tone}>{SUBSCRIPTION_STATUS[s.status].label}</Badge>
                    </Td>
                    <Td className="text-xs">{formatPeriod(s.currentPeriodStart, s.currentPeriodEnd)}</Td>
                    <Td>{s.keys.filter((k) => !k.revokedAt).length}</Td>
                  </tr>
                ))}
              </Table>
            )
          }
        </ResourceState>
      </Section>
      <Section title="Invoices">
        <ResourceState query={invoices} what="invoices">
          {(page) => <InvoicesTable invoices={page.invoices} href={(id) => `/o/${org.slug}/subscriptions/invoices/${id}`} />}
        </ResourceState>
      </Section>
    </>
  );
}
