import type { CreditNoteDto, InvoiceDto, InvoiceLineDto, InvoiceLineKind, ApiUsageEventDto } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import type { Position } from './invoices.repository';

// Money leaves as a JSON number of micro-USD: exact below 2^53 (9 billion USD), checked here.
export function micros(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) throw new AppError('INTERNAL', 'An amount is beyond what JSON numbers carry exactly.');
  return Number(value);
}

interface InvoiceRow {
  id: string;
  number: string | null;
  status: InvoiceDto['status'];
  subscriptionId: string;
  listingId: string;
  consumerOrganizationId: string;
  publisherOrganizationId: string;
  periodStart: Date;
  periodEnd: Date;
  subtotalMicros: bigint;
  taxRateBps: number;
  taxMicros: bigint;
  totalMicros: bigint;
  finalizedAt: Date | null;
  paidAt: Date | null;
  updatedAt: Date;
  creditNotes: { amountMicros: bigint }[];
}

export function toInvoiceDto(row: InvoiceRow, listing: { name: string; slug: string } | undefined, graceMinutes: number): InvoiceDto {
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    subscriptionId: row.subscriptionId,
    listingId: row.listingId,
    listingName: listing?.name ?? '',
    listingSlug: listing?.slug ?? '',
    consumerOrganizationId: row.consumerOrganizationId,
    publisherOrganizationId: row.publisherOrganizationId,
    periodStart: row.periodStart.toISOString(),
    periodEnd: row.periodEnd.toISOString(),
    currency: 'USD',
    subtotalMicros: micros(row.subtotalMicros),
    taxRateBps: row.taxRateBps,
    taxMicros: micros(row.taxMicros),
    totalMicros: micros(row.totalMicros),
    creditedMicros: micros(row.creditNotes.reduce((s, n) => s + n.amountMicros, 0n)),
    finalizesAt: new Date(row.periodEnd.getTime() + graceMinutes * 60_000).toISOString(),
    finalizedAt: row.finalizedAt?.toISOString() ?? null,
    paidAt: row.paidAt?.toISOString() ?? null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toLineDto(l: { id: string; position: number; kind: string; description: string; quantity: bigint; unitPriceMicros: bigint; amountMicros: bigint; usageFrom: Date | null; usageTo: Date | null; planVersionId: string | null }): InvoiceLineDto {
  return {
    id: l.id,
    position: l.position,
    kind: l.kind as InvoiceLineKind,
    description: l.description,
    quantity: micros(l.quantity),
    unitPriceMicros: micros(l.unitPriceMicros),
    amountMicros: micros(l.amountMicros),
    usageFrom: l.usageFrom?.toISOString() ?? null,
    usageTo: l.usageTo?.toISOString() ?? null,
    planVersionId: l.planVersionId,
  };
}

export function toCreditNoteDto(n: { id: string; invoiceId: string; amountMicros: bigint; reason: string; createdAt: Date }): CreditNoteDto {
  return { id: n.id, invoiceId: n.invoiceId, amountMicros: micros(n.amountMicros), reason: n.reason, createdAt: n.createdAt.toISOString() };
}

export function toEventDto(e: { id: string; time: Date; keyId: string; planVersionId: string; live: boolean; method: string; operation: string; weight: number; status: number; durationMs: number; lateForInvoiceId: string | null }): ApiUsageEventDto {
  return {
    id: e.id,
    time: e.time.toISOString(),
    keyId: e.keyId,
    planVersionId: e.planVersionId,
    mode: e.live ? 'live' : 'test',
    method: e.method,
    operation: e.operation,
    weight: e.weight,
    status: e.status,
    durationMs: e.durationMs,
    lateForInvoiceId: e.lateForInvoiceId,
  };
}

/** Opaque cursors: the last row's sort key, base64url. */
export function encodeCursor(p: Position): string {
  return Buffer.from(`${p.at.toISOString()}|${p.id}`).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('VALIDATION_FAILED', 'cursor: pass the `nextCursor` of the previous page, unchanged.');
  return { at: date, id };
}
