'use client';

import type { ApiListingDto, PublisherApiPlanDto } from '@slipway/contracts';
import { useState } from 'react';
import { api } from '../../lib/api';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { limitLines, priceSummary, PRICE_CHANGE_RULE } from '../../lib/marketplace/pricing';
import { useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { ConfirmButton } from '../ui/confirm-button';
import { Badge, Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { PlanEditor } from './plan-editor';

/** The listing's plans: price, limits, version, active subscriptions; create, new terms (a version), archive, delete. */
export function ApiPlansSection({ listing, canWrite }: { listing: ApiListingDto; canWrite: boolean }) {
  const org = useOrg();
  const params = { org: org.slug, api: listing.slug };
  const plans = useApiQuery('listApiPlans', params);
  const invalidate = useInvalidateApi();
  const action = useAction();
  const [editing, setEditing] = useState<PublisherApiPlanDto | 'new' | null>(null);

  async function archive(p: PublisherApiPlanDto) {
    await action.run(() => api('archiveApiPlan', { params: { ...params, plan: p.slug } }));
    await invalidate('listApiPlans', 'catalogListing');
  }
  async function remove(p: PublisherApiPlanDto) {
    await action.run(() => api('deleteApiPlan', { params: { ...params, plan: p.slug } }));
    await invalidate('listApiPlans', 'catalogListing');
  }

  return (
    <Section
      title="Plans"
      description={PRICE_CHANGE_RULE}
      actions={
        canWrite && editing === null ? (
          <Button size="sm" onClick={() => setEditing('new')}>
            New plan
          </Button>
        ) : null
      }
    >
      <div className="flex flex-col gap-3">
        <ErrorAlert>{action.error}</ErrorAlert>
        {editing !== null ? (
          <PlanEditor
            key={editing === 'new' ? 'new' : editing.slug}
            listing={listing.slug}
            operations={listing.operations}
            plan={editing === 'new' ? undefined : editing}
            onDone={() => setEditing(null)}
          />
        ) : null}
        <ResourceState query={plans} what="plans">
          {(list) =>
            list.length === 0 ? (
              <Empty>No plan yet: add at least one before publishing (a free plan with a daily quota is a good start).</Empty>
            ) : (
              <Table label="Plans" head={['Plan', 'Price', 'Limits', 'Version', 'Active subscriptions', '']}>
                {list.map((p) => (
                  <tr key={p.id} aria-label={p.name}>
                    <Td>
                      <span className="font-medium">{p.name}</span> <code className="font-mono text-xs text-zinc-500">{p.slug}</code>
                      {p.archivedAt ? <Badge tone="amber">archived</Badge> : null}
                    </Td>
                    <Td>{priceSummary(p.pricing)}</Td>
                    <Td className="text-xs">{limitLines(p.limits).join(', ')}</Td>
                    <Td>v{p.version}</Td>
                    <Td className="tabular-nums">{p.activeSubscriptions}</Td>
                    <Td className="text-right">
                      {canWrite && !p.archivedAt ? (
                        <div className="flex justify-end gap-1">
                          <Button size="sm" variant="ghost" aria-label={`Edit ${p.name}`} onClick={() => setEditing(p)}>
                            Edit
                          </Button>
                          <ConfirmButton
                            label={`Archive ${p.name}`}
                            question="Archive? It takes no new subscriptions; existing ones continue."
                            confirmLabel="Archive"
                            onConfirm={() => archive(p)}
                          >
                            Archive
                          </ConfirmButton>
                          <ConfirmButton
                            label={`Delete ${p.name}`}
                            question="Delete this plan?"
                            confirmLabel="Delete"
                            onConfirm={() => remove(p)}
                          >
                            Delete
                          </ConfirmButton>
                        </div>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </Table>
            )
          }
        </ResourceState>
      </div>
    </Section>
  );
}
