'use client';

import { routePath, type InvoiceDto } from '@slipway/contracts';
import { useOrg } from '../../lib/org';

const LINK =
  'inline-flex h-9 items-center rounded-md border border-zinc-300 bg-white px-3.5 text-sm font-medium text-zinc-800 hover:bg-zinc-50';

/**
 * PDF and CSV of an invoice: plain links (same-origin, the session cookie goes with them) to the
 * api's export routes, which answer attachments.
 */
export function InvoiceDownloads({ side, invoice, api }: { side: 'consumer' | 'publisher'; invoice: InvoiceDto; api?: string }) {
  const org = useOrg();
  const params: Record<string, string> =
    side === 'consumer' ? { org: org.slug, invoice: invoice.id } : { org: org.slug, api: api ?? invoice.listingSlug, invoice: invoice.id };
  const pdf = routePath(side === 'consumer' ? 'consumerInvoicePdf' : 'listingInvoicePdf', params);
  const csv = routePath(side === 'consumer' ? 'consumerInvoiceCsv' : 'listingInvoiceCsv', params);
  return (
    <div className="flex gap-2">
      <a href={pdf} download className={LINK}>
        Download PDF
      </a>
      <a href={csv} download className={LINK}>
        Download CSV
      </a>
    </div>
  );
}
