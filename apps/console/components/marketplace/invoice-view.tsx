'use client';

import type { InvoiceDetailDto, InvoiceLineDto } from '@slipway/contracts';
import { keepPreviousData } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { formatDateTime } from '../../lib/format';
import { useApiQuery } from '../../lib/api-query';
import { formatPeriod, INVOICE_STATUS } from '../../lib/marketplace/labels';
import { formatMicros } from '../../lib/marketplace/money';
import { useOrg } from '../../lib/org';
import { Button } from '../ui/button';
import { Badge, Empty, PageHeader, Section } from '../ui/layout-bits';
import { ResourceState } from '../ui/resource-state';
import { Table, Td } from '../ui/table';
import { DailyBarsChart } from './usage-chart';
import { InvoiceDownloads } from './invoice-downloads';

/** The consumer's invoice: lines, credit notes, downloads, and a drill-down from a line to its days and raw events. */
export function ConsumerInvoiceView({ invoice }: { invoice: string }) {
  const org = useOrg();
  const q = useApiQuery(
    'consumerInvoice',
    { org: org.slug, invoice },
    { refetchInterval: (query) => (query.state.data?.status === 'DRAFT' ? 10_000 : false) },
  );
  return (
    <ResourceState query={q} what="invoice">
      {(inv) => (
        <>
          <PageHeader
            crumbs={[
              { href: `/o/${org.slug}/subscriptions`, label: 'Subscriptions' },
              { href: `/o/${org.slug}/subscriptions/${inv.subscriptionId}`, label: inv.listingName },
            ]}
            title={invoiceTitle(inv)}
            actions={<InvoiceDownloads side="consumer" invoice={inv} />}
          />
          <InvoiceBody inv={inv} drillDown />
        </>
      )}
    </ResourceState>
  );
}

export const invoiceTitle = (inv: InvoiceDetailDto) => (inv.number ? `Invoice ${inv.number}` : `Draft invoice · ${inv.listingName}`);

/** Lines, totals and credit notes of one invoice (shared by the consumer's and the publisher's pages). */
export function InvoiceBody({ inv, drillDown = false, children }: { inv: InvoiceDetailDto; drillDown?: boolean; children?: ReactNode }) {
  const [open, setOpen] = useState<InvoiceLineDto | null>(null);
  return (
    <>
      <Section title="Summary">
        <dl aria-label="Invoice summary" className="grid gap-2 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-zinc-500">Status</dt>
          <dd>
            <Badge tone={INVOICE_STATUS[inv.status].tone}>{INVOICE_STATUS[inv.status].label}</Badge>
            {inv.status === 'DRAFT' ? (
              <span className="ml-2 text-xs text-zinc-500">recomputed from usage until {formatDateTime(inv.finalizesAt)}</span>
            ) : null}
          </dd>
          <dt className="text-zinc-500">Period</dt>
          <dd>{formatPeriod(inv.periodStart, inv.periodEnd)} (UTC)</dd>
          <dt className="text-zinc-500">Subtotal</dt>
          <dd className="tabular-nums">{formatMicros(inv.subtotalMicros)}</dd>
          <dt className="text-zinc-500">Tax ({(inv.taxRateBps / 100).toLocaleString('en-US')} %)</dt>
          <dd className="tabular-nums">{formatMicros(inv.taxMicros)}</dd>
          <dt className="text-zinc-500">Total</dt>
          <dd aria-label="Invoice total" className="font-semibold tabular-nums">
            {formatMicros(inv.totalMicros)}
          </dd>
          {inv.creditedMicros ? (
            <>
              <dt className="text-zinc-500">Credited</dt>
              <dd className="tabular-nums">{formatMicros(inv.creditedMicros)}</dd>
            </>
          ) : null}
          {inv.paidAt ? (
            <>
              <dt className="text-zinc-500">Paid</dt>
              <dd>{formatDateTime(inv.paidAt)}</dd>
            </>
          ) : null}
          {inv.lateEvents ? (
            <>
              <dt className="text-zinc-500">Late usage</dt>
              <dd>{inv.lateEvents.toLocaleString('en-US')} events arrived after finalization (kept, not billed)</dd>
            </>
          ) : null}
        </dl>
        {children}
      </Section>
      <Section title="Lines">
        {inv.lines.length === 0 ? (
          <Empty>No charge yet in this period.</Empty>
        ) : (
          <Table label="Invoice lines" head={['Description', 'Quantity', 'Unit price', 'Amount', '']}>
            {inv.lines.map((l) => (
              <tr key={l.id} aria-label={l.description} data-kind={l.kind}>
                <Td>{l.description}</Td>
                <Td className="tabular-nums">{l.quantity.toLocaleString('en-US')}</Td>
                <Td className="tabular-nums">{formatMicros(l.unitPriceMicros)}</Td>
                <Td className="tabular-nums">{formatMicros(l.amountMicros)}</Td>
                <Td className="text-right">
                  {drillDown && l.usageFrom ? (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Usage behind ${l.description}`}
                      onClick={() => setOpen(open?.id === l.id ? null : l)}
                    >
                      {open?.id === l.id ? 'Hide usage' : 'Usage'}
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </Table>
        )}
        {open ? <LineUsage key={open.id} inv={inv} line={open} /> : null}
      </Section>
      {inv.creditNotes.length ? (
        <Section title="Credit notes">
          <Table label="Credit notes" head={['Date', 'Reason', 'Amount']}>
            {inv.creditNotes.map((c) => (
              <tr key={c.id}>
                <Td className="text-xs">{formatDateTime(c.createdAt)}</Td>
                <Td>{c.reason}</Td>
                <Td className="tabular-nums">-{formatMicros(c.amountMicros)}</Td>
              </tr>
            ))}
          </Table>
        </Section>
      ) : null}
    </>
  );
}

/** A line's usage per UTC day; a day opens its raw events. */
function LineUsage({ inv, line }: { inv: InvoiceDetailDto; line: InvoiceLineDto }) {
  const org = useOrg();
  const usage = useApiQuery('invoiceLineUsage', { org: org.slug, invoice: inv.id, line: line.id });
  const [day, setDay] = useState<string | null>(null);
  return (
    <div
      role="region"
      aria-label={`Usage behind ${line.description}`}
      className="mt-4 flex flex-col gap-3 rounded-md border border-zinc-200 p-3"
    >
      <ResourceState query={usage} what="usage">
        {(u) =>
          u.days.length === 0 ? (
            <Empty>No usage in this line’s window.</Empty>
          ) : (
            <>
              <DailyBarsChart
                label={`Calls per day behind ${line.description}`}
                days={u.days.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000)}
                series={[{ label: 'Live calls', color: '#2563eb', values: u.days.map((d) => d.calls) }]}
                height={120}
              />
              <Table label="Usage by day" head={['Day (UTC)', 'Calls', 'Units', 'Test calls', '']}>
                {u.days.map((d) => (
                  <tr key={d.day} aria-label={d.day}>
                    <Td>{d.day}</Td>
                    <Td className="tabular-nums">{d.calls}</Td>
                    <Td className="tabular-nums">{d.units}</Td>
                    <Td className="tabular-nums">{d.testCalls}</Td>
                    <Td className="text-right">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setDay(day === d.day ? null : d.day)}
                        aria-label={`Events of ${d.day}`}
                      >
                        {day === d.day ? 'Hide events' : 'Events'}
                      </Button>
                    </Td>
                  </tr>
                ))}
              </Table>
            </>
          )
        }
      </ResourceState>
      {day ? (
        <RawEvents inv={inv} from={`${day}T00:00:00.000Z`} to={new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString()} />
      ) : null}
    </div>
  );
}

/** Raw usage events, oldest first, a page at a time (the api's cursor). */
function RawEvents({ inv, from, to }: { inv: InvoiceDetailDto; from: string; to: string }) {
  const org = useOrg();
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [history, setHistory] = useState<(string | undefined)[]>([]);
  const q = useApiQuery(
    'invoiceUsageEvents',
    { org: org.slug, invoice: inv.id },
    { query: { from, to, limit: 50, cursor }, placeholderData: keepPreviousData },
  );
  return (
    <ResourceState query={q} what="usage events">
      {(page) => (
        <div className="flex flex-col gap-2">
          <Table label="Usage events" head={['Time', 'Operation', 'Status', 'Weight', 'Mode', 'Event id']}>
            {page.events.map((e) => (
              <tr key={e.id}>
                <Td className="text-xs">{formatDateTime(e.time)}</Td>
                <Td className="font-mono text-xs">
                  {e.method} {e.operation}
                </Td>
                <Td className="tabular-nums">{e.status}</Td>
                <Td className="tabular-nums">{e.weight}</Td>
                <Td>{e.mode}</Td>
                <Td className="font-mono text-xs">
                  {e.id}
                  {e.lateForInvoiceId ? <span className="ml-1 text-amber-700">late</span> : null}
                </Td>
              </tr>
            ))}
          </Table>
          <div className="flex gap-2">
            <Button
              size="sm"
              disabled={history.length === 0}
              onClick={() => {
                setCursor(history[history.length - 1]);
                setHistory((h) => h.slice(0, -1));
              }}
            >
              Previous
            </Button>
            <Button
              size="sm"
              disabled={!page.nextCursor}
              onClick={() => {
                setHistory((h) => [...h, cursor]);
                setCursor(page.nextCursor ?? undefined);
              }}
            >
              Next
            </Button>
          </div>
        </div>
      )}
    </ResourceState>
  );
}
