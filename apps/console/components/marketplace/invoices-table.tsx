'use client';

import type { InvoiceDto } from '@slipway/contracts';
import Link from 'next/link';
import { formatPeriod, INVOICE_STATUS } from '../../lib/marketplace/labels';
import { formatMicros } from '../../lib/marketplace/money';
import { Badge, Empty } from '../ui/layout-bits';
import { Table, Td } from '../ui/table';

/** Invoices, newest period first; a row opens the invoice. */
export function InvoicesTable({
  invoices,
  href,
  showConsumer = false,
}: {
  invoices: readonly InvoiceDto[];
  href: (id: string) => string;
  showConsumer?: boolean;
}) {
  if (invoices.length === 0) return <Empty>No invoice yet: the first one opens (as a draft) with the first period.</Empty>;
  return (
    <Table label="Invoices" head={['Invoice', 'API', ...(showConsumer ? ['Consumer'] : []), 'Period', 'Status', 'Total']}>
      {invoices.map((inv) => (
        <tr key={inv.id} aria-label={inv.number ?? `Draft ${formatPeriod(inv.periodStart, inv.periodEnd)}`}>
          <Td>
            <Link href={href(inv.id)} className="font-medium text-zinc-900 hover:underline">
              {inv.number ?? 'Draft'}
            </Link>
          </Td>
          <Td>{inv.listingName}</Td>
          {showConsumer ? <Td className="font-mono text-xs">{inv.consumerOrganizationId}</Td> : null}
          <Td className="text-xs">{formatPeriod(inv.periodStart, inv.periodEnd)}</Td>
          <Td>
            <Badge tone={INVOICE_STATUS[inv.status].tone}>{INVOICE_STATUS[inv.status].label}</Badge>
          </Td>
          <Td className="tabular-nums">{formatMicros(inv.totalMicros)}</Td>
        </tr>
      ))}
    </Table>
  );
}
