'use client';

import type { InvoiceDetailDto } from '@slipway/contracts';
import { useState, type FormEvent } from 'react';
import { api } from '../../lib/api';
import { useApiQuery, useInvalidateApi } from '../../lib/api-query';
import { formatDateTime } from '../../lib/format';
import { formatMicros, parseUsdToMicros } from '../../lib/marketplace/money';
import { useCan, useOrg } from '../../lib/org';
import { useAction } from '../../lib/use-action';
import { ErrorAlert } from '../ui/alert';
import { Button } from '../ui/button';
import { TextField } from '../ui/field';
import { PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { InvoiceBody, invoiceTitle } from './invoice-view';
import { InvoiceDownloads } from './invoice-downloads';

/** A subscriber's invoice on the publisher's side: lines, payment (mark paid by hand), credit notes. */
export function PublisherInvoiceView({ listing, invoice }: { listing: string; invoice: string }) {
  const org = useOrg();
  const params = { org: org.slug, api: listing, invoice };
  const q = useApiQuery('listingInvoice', params);
  return (
    <ResourceState query={q} what="invoice">
      {(inv) => (
        <>
          <PageHeader
            crumbs={[
              { href: `/o/${org.slug}/apis`, label: 'APIs' },
              { href: `/o/${org.slug}/apis/${listing}`, label: inv.listingName },
            ]}
            title={invoiceTitle(inv)}
            actions={<InvoiceDownloads side="publisher" invoice={inv} api={listing} />}
          />
          <InvoiceBody inv={inv} />
          <PaymentSection inv={inv} listing={listing} />
        </>
      )}
    </ResourceState>
  );
}

function PaymentSection({ inv, listing }: { inv: InvoiceDetailDto; listing: string }) {
  const org = useOrg();
  const canAdmin = useCan('ADMIN');
  const params = { org: org.slug, api: listing, invoice: inv.id };
  const payment = useApiQuery('listingInvoicePayment', params);
  const invalidate = useInvalidateApi();
  const paid = useAction();
  const credit = useAction();
  const [reference, setReference] = useState('');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');

  async function markPaid(e: FormEvent) {
    e.preventDefault();
    if (await paid.run(() => api('markInvoicePaid', { params, body: { reference } })))
      await invalidate('listingInvoice', 'listingInvoicePayment', 'listingInvoices');
  }
  async function addCredit(e: FormEvent) {
    e.preventDefault();
    const micros = parseUsdToMicros(amount);
    if (micros === null || micros === 0) return credit.setError(null, { amountMicros: 'Write a positive amount in USD.' });
    if (await credit.run(() => api('createCreditNote', { params, body: { amountMicros: micros, reason } }))) {
      setAmount('');
      setReason('');
      await invalidate('listingInvoice', 'listingInvoices');
    }
  }

  const settled = inv.status === 'FINALIZED' || inv.status === 'PAID';
  return (
    <Section title="Payment and credit">
      <div className="flex flex-col gap-4">
        {payment.data ? (
          <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-zinc-500">Collected by</dt>
            <dd>{payment.data.provider === 'manual' ? 'Bank transfer (marked paid here)' : 'Stripe'}</dd>
            <dt className="text-zinc-500">Due</dt>
            <dd>{formatDateTime(payment.data.dueAt)}</dd>
            <dt className="text-zinc-500">Reference</dt>
            <dd>{payment.data.reference ?? '—'}</dd>
          </dl>
        ) : null}
        {canAdmin && inv.status === 'FINALIZED' ? (
          <form onSubmit={markPaid} aria-label="Mark paid" className="flex flex-wrap items-end gap-2">
            <TextField
              label="Payment reference"
              value={reference}
              onChange={(e) => setReference(e.target.value)}
              error={paid.fieldErrors.reference}
              fieldClassName="w-64"
            />
            <Button type="submit" busy={paid.busy}>
              Mark paid
            </Button>
            <ErrorAlert>{paid.error}</ErrorAlert>
          </form>
        ) : inv.status === 'DRAFT' ? (
          <p className="text-sm text-zinc-500">A draft is paid and credited once it is finalized ({formatDateTime(inv.finalizesAt)}).</p>
        ) : null}
        {canAdmin && settled ? (
          <form onSubmit={addCredit} aria-label="Credit note" className="flex flex-wrap items-end gap-2">
            <TextField
              label="Credit (USD)"
              value={amount}
              onChange={(e) => setAmount(e.target.value)}
              error={credit.fieldErrors.amountMicros}
              inputMode="decimal"
              fieldClassName="w-36"
              hint={`At most ${formatMicros(inv.totalMicros - inv.creditedMicros)}`}
            />
            <TextField
              label="Reason"
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              error={credit.fieldErrors.reason}
              fieldClassName="w-72"
            />
            <Button type="submit" busy={credit.busy}>
              Issue credit note
            </Button>
            <ErrorAlert>{credit.error}</ErrorAlert>
          </form>
        ) : null}
      </div>
    </Section>
  );
}
