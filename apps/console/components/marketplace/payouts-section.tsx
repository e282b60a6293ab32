'use client';

import type { PayoutDto } from '@slipway/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../lib/api';
import { setApiQueryData, useApiQuery } from '../../lib/api-query';
import { formatDateTime } from '../../lib/format';
import { formatPeriod } from '../../lib/marketplace/labels';
import { formatMicros } from '../../lib/marketplace/money';
import { useCan, useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { Badge, Empty, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';

/** Payout statements per month: paid invoices − credit notes − platform fee = net; mark one paid by hand. */
export function PayoutsSection() {
  const org = useOrg();
  const q = useApiQuery('listPayouts', { org: org.slug });
  return (
    <Section title="Payout statements">
      <ResourceState query={q} what="payouts">
        {(list) =>
          list.length === 0 ? (
            <Empty>No statement yet: one is made for each month in which invoices were paid.</Empty>
          ) : (
            <Table label="Payout statements" head={['Month', 'Invoices', 'Gross', 'Credit notes', 'Fee', 'Net', 'Status', '']}>
              {list.map((p) => (
                <PayoutRow key={p.id} payout={p} />
              ))}
            </Table>
          )
        }
      </ResourceState>
    </Section>
  );
}

function PayoutRow({ payout: p }: { payout: PayoutDto }) {
  const org = useOrg();
  const canAdmin = useCan('ADMIN');
  const client = useQueryClient();
  const action = useAction();
  const [reference, setReference] = useState('');
  async function markPaid() {
    const updated = await action.run(() => api('markPayoutPaid', { params: { org: org.slug, payout: p.id }, body: { reference } }));
    if (updated) setApiQueryData(client, 'listPayouts', { org: org.slug }, (list) => list?.map((x) => (x.id === updated.id ? updated : x)));
  }
  return (
    <tr aria-label={formatPeriod(p.periodStart, p.periodEnd)}>
      <Td className="text-xs">{formatPeriod(p.periodStart, p.periodEnd)}</Td>
      <Td className="tabular-nums">{p.invoiceCount}</Td>
      <Td className="tabular-nums">{formatMicros(p.grossMicros)}</Td>
      <Td className="tabular-nums">{formatMicros(p.creditNotesMicros)}</Td>
      <Td className="tabular-nums">{formatMicros(p.feeMicros)}</Td>
      <Td className="font-medium tabular-nums">{formatMicros(p.netMicros)}</Td>
      <Td>
        <Badge tone={p.status === 'PAID' ? 'green' : 'amber'}>{p.status === 'PAID' ? `paid ${formatDateTime(p.paidAt)}` : 'pending'}</Badge>
      </Td>
      <Td className="text-right">
        {canAdmin && p.status === 'PENDING' ? (
          <div className="flex items-center justify-end gap-1">
            <input
              aria-label="Payment reference"
              placeholder="reference"
              className="h-7 w-32 rounded-md border border-zinc-300 px-2 text-xs"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
            />
            <Button size="sm" busy={action.busy} onClick={() => void markPaid()}>
              Mark paid
            </Button>
            <ErrorAlert>{action.error}</ErrorAlert>
          </div>
        ) : null}
      </Td>
    </tr>
  );
}
