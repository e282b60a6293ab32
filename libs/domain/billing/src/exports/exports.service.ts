import { Readable } from 'node:stream';
import { Inject, Injectable } from '@nestjs/common';
import { INVOICE_CSV_COLUMNS, USAGE_EVENTS_CSV_COLUMNS } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { csvLine, text, usdDecimal } from './csv';
import { ExportsRepository, type InvoiceDocument, type InvoiceOwner } from './exports.repository';
import { renderInvoicePdf } from './invoice-pdf';

export type { InvoiceOwner } from './exports.repository';

/** A file to send: the api sets Content-Type and Content-Disposition from it. */
export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer | string | Readable;
}

/** Events read per query while streaming a line's events (memory stays flat whatever the count). */
const EVENTS_PAGE = 5_000;

/** Invoice exports: PDF, lines as CSV, and the raw usage events behind one line as CSV (streamed). */
@Injectable()
export class ExportsService {
  constructor(@Inject(ExportsRepository) private readonly repository: ExportsRepository) {}

  async invoicePdf(owner: InvoiceOwner, invoiceId: string): Promise<ExportFile> {
    const doc = await this.document(owner, invoiceId);
    return { filename: `${baseName(doc)}.pdf`, contentType: 'application/pdf', body: Buffer.from(await renderInvoicePdf(doc)) };
  }

  async invoiceCsv(owner: InvoiceOwner, invoiceId: string): Promise<ExportFile> {
    const doc = await this.document(owner, invoiceId);
    let body = csvLine(INVOICE_CSV_COLUMNS);
    for (const line of doc.lines) {
      body += csvLine([line.position, line.kind, text(line.description), line.quantity, usdDecimal(line.unitPriceMicros), usdDecimal(line.amountMicros), line.usageFrom?.toISOString() ?? null, line.usageTo?.toISOString() ?? null]);
    }
    return { filename: `${baseName(doc)}.csv`, contentType: 'text/csv; charset=utf-8', body };
  }

  async lineEventsCsv(owner: InvoiceOwner, invoiceId: string, lineId: string): Promise<ExportFile> {
    const doc = await this.document(owner, invoiceId);
    const line = doc.lines.find((l) => l.id === lineId);
    if (!line) throw new AppError('NOT_FOUND', 'No such line on this invoice.');
    const repository = this.repository;
    async function* rows(): AsyncGenerator<string> {
      yield csvLine(USAGE_EVENTS_CSV_COLUMNS);
      let after: { time: Date; id: string } | null = null;
      for (;;) {
        const page = await repository.lineEvents(doc.invoice, line!, after, EVENTS_PAGE);
        if (page.length) yield page.map((e) => csvLine([e.id, e.time.toISOString(), text(e.operation), e.method, e.status, e.weight, e.durationMs, e.keyId, e.live, e.lateForInvoiceId])).join('');
        if (page.length < EVENTS_PAGE) return;
        const last = page[page.length - 1]!;
        after = { time: last.time, id: last.id };
      }
    }
    return { filename: `${baseName(doc)}-line-${line.position}-events.csv`, contentType: 'text/csv; charset=utf-8', body: Readable.from(rows()) };
  }

  private async document(owner: InvoiceOwner, invoiceId: string): Promise<InvoiceDocument> {
    const doc = await this.repository.invoice(owner, invoiceId);
    if (!doc) throw new AppError('NOT_FOUND', 'No such invoice.');
    return doc;
  }
}

/** `acme-000042`, or `draft-<id>` before the invoice has a number. */
function baseName(doc: InvoiceDocument): string {
  return (doc.invoice.number ?? `draft-${doc.invoice.id}`).replace(/[^A-Za-z0-9._-]/g, '_');
}
