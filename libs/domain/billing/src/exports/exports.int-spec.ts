import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INVOICE_CSV_COLUMNS, USAGE_EVENTS_CSV_COLUMNS } from '@slipway/contracts';
import { DbModule, PrismaService, type ApiInvoice } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { createDomainTestContext, type DomainTestContext } from '@slipway/testing';
import { AuditModule } from '@slipway/audit';
import { PaymentsModule } from '@slipway/payments';
import { BillingPaymentsModule } from '../billing-payments.module';
import { seedEvents, seedInvoice, seedMarket, type MarketTenant } from '../testing/marketplace-rows.int-support';
import { ExportsService, type ExportFile } from './exports.service';
import { parseCsv, pdfText } from './pdf-text.int-support';

let ctx: DomainTestContext;
let prisma: PrismaService;
let exportsService: ExportsService;
let a: MarketTenant;
let b: MarketTenant;
let invoice: ApiInvoice;
const codeOf = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (e instanceof AppError ? e.code : String(e)));
const bodyText = async (file: ExportFile) => (file.body instanceof Readable ? (await file.body.toArray()).join('') : file.body.toString());
const DEC = { periodStart: new Date('2026-11-01T00:00:00Z'), periodEnd: new Date('2026-12-01T00:00:00Z') };

beforeAll(async () => {
  ctx = await createDomainTestContext([DbModule, AuditModule, PaymentsModule, BillingPaymentsModule]);
  prisma = ctx.app.get(PrismaService);
  exportsService = ctx.app.get(ExportsService);
  [a, b] = [await seedMarket(prisma), await seedMarket(prisma)];
  invoice = await seedInvoice(prisma, a, {
    status: 'FINALIZED',
    ...DEC,
    taxRateBps: 2000,
    lines: [
      { kind: 'base_fee', description: 'Pro plan, November', quantity: 1n, unitPriceMicros: 10_000_000n, amountMicros: 10_000_000n },
      { kind: 'overage', description: 'Overage, "tier 1", 1,001 to 2,000 calls', quantity: 345n, unitPriceMicros: 6_789n, amountMicros: 2_342_205n, usageFrom: new Date('2026-11-10T00:00:00Z'), usageTo: new Date('2026-11-12T00:00:00Z') },
    ],
  });
  // Events of the overage line's window (2 live, 1 test), one just outside it, and one with a formula-like path.
  await seedEvents(prisma, a, [
    { time: new Date('2026-11-10T00:00:00Z'), operation: '/v1/forecast' },
    { time: new Date('2026-11-11T23:59:59.999Z'), operation: '=HYPERLINK("http://evil")', status: 404 },
    { time: new Date('2026-11-11T12:00:00Z'), live: false },
    { time: new Date('2026-11-12T00:00:00Z') },
  ]);
});
afterAll(() => ctx?.close());

describe('invoice exports', () => {
  it('renders a PDF that names the invoice, the parties and the total', async () => {
    const file = await exportsService.invoicePdf({ as: 'publisher', scope: { organizationId: a.publisherId }, listingSlug: a.listingSlug }, invoice.id);
    expect(file.contentType).toBe('application/pdf');
    expect(file.filename).toBe(`${invoice.number}.pdf`);
    const pdf = file.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain(`Invoice ${invoice.number}`);
    // Subtotal 12.342205, tax 20 % = 2.468441, total 14.810646 (the invoice's own micro-USD).
    expect(text).toEqual(expect.arrayContaining(['Subtotal', '$12.342205', 'Tax (20.00 %)', '$2.468441', 'Total (USD)', '$14.810646', 'Pro plan, November']));
    expect(text.some((t) => t.startsWith('Bill to: Consumer'))).toBe(true);
  });

  it('writes the lines as CSV that parses back to the same values', async () => {
    const file = await exportsService.invoiceCsv({ as: 'consumer', scope: { organizationId: a.consumerId } }, invoice.id);
    expect([file.contentType, file.filename]).toEqual(['text/csv; charset=utf-8', `${invoice.number}.csv`]);
    const rows = parseCsv(await bodyText(file));
    expect(rows[0]).toEqual([...INVOICE_CSV_COLUMNS]);
    expect(rows.slice(1)).toEqual([
      ['1', 'base_fee', 'Pro plan, November', '1', '10.000000', '10.000000', '', ''],
      ['2', 'overage', 'Overage, "tier 1", 1,001 to 2,000 calls', '345', '0.006789', '2.342205', '2026-11-10T00:00:00.000Z', '2026-11-12T00:00:00.000Z'],
    ]);
    // The amounts add up to the subtotal, exactly.
    expect(rows.slice(1).reduce((s, r) => s + BigInt(r[5]!.replace('.', '')), 0n)).toBe(invoice.subtotalMicros);
  });

  it("streams the raw live events of a line's window as CSV, formulas defused", async () => {
    const lines = await prisma.apiInvoiceLine.findMany({ where: { invoiceId: invoice.id }, orderBy: { position: 'asc' } });
    const file = await exportsService.lineEventsCsv({ as: 'publisher', scope: { organizationId: a.publisherId }, listingSlug: a.listingSlug }, invoice.id, lines[1]!.id);
    expect(file.filename).toBe(`${invoice.number}-line-2-events.csv`);
    const rows = parseCsv(await bodyText(file));
    expect(rows[0]).toEqual([...USAGE_EVENTS_CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => [r[1], r[2], r[4], r[8]])).toEqual([
      ['2026-11-10T00:00:00.000Z', '/v1/forecast', '200', 'true'],
      ['2026-11-11T23:59:59.999Z', `'=HYPERLINK("http://evil")`, '404', 'true'],
    ]);
  });

  it("answers 404 for another organization's invoice or line, as publisher and as consumer", async () => {
    expect(await codeOf(exportsService.invoicePdf({ as: 'publisher', scope: { organizationId: b.publisherId }, listingSlug: b.listingSlug }, invoice.id))).toBe('NOT_FOUND');
    expect(await codeOf(exportsService.invoicePdf({ as: 'publisher', scope: { organizationId: b.publisherId }, listingSlug: a.listingSlug }, invoice.id))).toBe('NOT_FOUND');
    expect(await codeOf(exportsService.invoiceCsv({ as: 'consumer', scope: { organizationId: b.consumerId } }, invoice.id))).toBe('NOT_FOUND');
    // The publisher's own organization is not the consumer.
    expect(await codeOf(exportsService.invoiceCsv({ as: 'consumer', scope: { organizationId: a.publisherId } }, invoice.id))).toBe('NOT_FOUND');
    const other = await seedInvoice(prisma, b, { status: 'FINALIZED', ...DEC });
    const otherLine = await prisma.apiInvoiceLine.findFirstOrThrow({ where: { invoiceId: other.id } });
    expect(await codeOf(exportsService.lineEventsCsv({ as: 'consumer', scope: { organizationId: a.consumerId } }, invoice.id, otherLine.id))).toBe('NOT_FOUND');
  });
});
