'use client';

import type { InvoiceDto } from '@slipway/contracts';

/** PDF and CSV of an invoice, when the api offers its exports (the payments part's routes). */
export function InvoiceDownloads({ side, invoice }: { side: 'consumer' | 'publisher'; invoice: InvoiceDto }) {
  void side;
  void invoice;
  return null;
}
