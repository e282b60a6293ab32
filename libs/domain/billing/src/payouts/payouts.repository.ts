import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@slipway/contracts';
import { PrismaService, type ApiPayout, type Tx } from '@slipway/db';
import type { StatementAmounts } from './payout-math';

/** What a publisher earned in one month: invoices paid in it, credit notes issued in it. */
export interface MonthTotals {
  publisherOrganizationId: string;
  periodStart: Date;
  invoiceCount: number;
  grossMicros: bigint;
  creditNotesMicros: bigint;
}

/** Payout statements, tenant scope first; statement creation reads across publishers (the worker's job). */
@Injectable()
export class PayoutsRepository {
  constructor(@Inject(PrismaService) private readonly prisma: PrismaService) {}

  list(scope: TenantScope): Promise<ApiPayout[]> {
    return this.prisma.apiPayout.findMany({ where: { publisherOrganizationId: scope.organizationId }, orderBy: { periodStart: 'desc' }, take: 120 });
  }

  get(scope: TenantScope, payoutId: string, tx?: Tx): Promise<ApiPayout | null> {
    return (tx ?? this.prisma).apiPayout.findFirst({ where: { publisherOrganizationId: scope.organizationId, id: payoutId } });
  }

  /**
   * Months in [since, before) with paid invoices or credit notes, per publisher, that have no
   * statement yet. Months are UTC calendar months (the columns hold UTC).
   */
  async monthsWithoutStatement(since: Date, before: Date): Promise<MonthTotals[]> {
    const rows = await this.prisma.$queryRaw<{ publisher: string; month: string; invoices: bigint; gross: bigint; credits: bigint }[]>`
      WITH paid AS (
        SELECT "publisherOrganizationId" AS publisher, date_trunc('month', "paidAt") AS month, count(*)::int8 AS invoices, sum("totalMicros")::int8 AS gross
        FROM "ApiInvoice"
        WHERE status = 'PAID' AND "paidAt" >= ${since.toISOString()}::timestamptz AT TIME ZONE 'UTC' AND "paidAt" < ${before.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        GROUP BY 1, 2
      ), credited AS (
        SELECT i."publisherOrganizationId" AS publisher, date_trunc('month', c."createdAt") AS month, sum(c."amountMicros")::int8 AS credits
        FROM "ApiCreditNote" c JOIN "ApiInvoice" i ON i.id = c."invoiceId"
        WHERE c."createdAt" >= ${since.toISOString()}::timestamptz AT TIME ZONE 'UTC' AND c."createdAt" < ${before.toISOString()}::timestamptz AT TIME ZONE 'UTC'
        GROUP BY 1, 2
      )
      SELECT coalesce(p.publisher, c.publisher) AS publisher, to_char(coalesce(p.month, c.month), 'YYYY-MM') AS month,
        coalesce(p.invoices, 0)::int8 AS invoices, coalesce(p.gross, 0)::int8 AS gross, coalesce(c.credits, 0)::int8 AS credits
      FROM paid p FULL JOIN credited c ON c.publisher = p.publisher AND c.month = p.month
      WHERE NOT EXISTS (
        SELECT 1 FROM "ApiPayout" o WHERE o."publisherOrganizationId" = coalesce(p.publisher, c.publisher) AND o."periodStart" = coalesce(p.month, c.month)
      )
      ORDER BY 2, 1`;
    return rows.map((r) => ({
      publisherOrganizationId: r.publisher,
      // The month as text: the columns are timestamps without time zone holding UTC.
      periodStart: new Date(`${r.month}-01T00:00:00Z`),
      invoiceCount: Number(r.invoices),
      grossMicros: r.gross,
      creditNotesMicros: r.credits,
    }));
  }

  /** The statement and its PLATFORM_FEE ledger entry, once per publisher and month (false when it existed). */
  async createStatement(month: MonthTotals, periodEnd: Date, amounts: StatementAmounts): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const created = await tx.apiPayout.createManyAndReturn({
        data: [{ publisherOrganizationId: month.publisherOrganizationId, periodStart: month.periodStart, periodEnd, invoiceCount: month.invoiceCount, ...amounts }],
        skipDuplicates: true,
      });
      const payout = created[0];
      if (!payout) return false;
      if (amounts.feeMicros > 0n) {
        await tx.apiLedgerEntry.create({
          data: { organizationId: payout.publisherOrganizationId, kind: 'PLATFORM_FEE', amountMicros: -amounts.feeMicros, payoutId: payout.id, idempotencyKey: `payout:${payout.id}:fee`, memo: `platform fee ${month.periodStart.toISOString().slice(0, 7)}` },
        });
      }
      return true;
    });
  }

  /** PENDING → PAID with the PAYOUT ledger entry; false when it was no longer PENDING. */
  async markPaid(payout: ApiPayout, paid: { provider: string; reference: string; at: Date }, tx: Tx): Promise<boolean> {
    const updated = await tx.apiPayout.updateMany({
      where: { publisherOrganizationId: payout.publisherOrganizationId, id: payout.id, status: 'PENDING' },
      data: { status: 'PAID', paidAt: paid.at, provider: paid.provider, providerReference: paid.reference },
    });
    if (updated.count === 0) return false;
    await tx.apiLedgerEntry.create({
      data: { organizationId: payout.publisherOrganizationId, kind: 'PAYOUT', amountMicros: -payout.netMicros, payoutId: payout.id, idempotencyKey: `payout:${payout.id}:paid`, memo: `${paid.provider}: ${paid.reference}` },
    });
    return true;
  }

  async connectAccountOf(scope: TenantScope): Promise<string | null> {
    const account = await this.prisma.apiPaymentAccount.findUnique({ where: { organizationId: scope.organizationId } });
    return account?.stripeConnectAccountId ?? null;
  }

  async setConnectAccount(scope: TenantScope, accountId: string | null, tx: Tx): Promise<void> {
    await tx.apiPaymentAccount.upsert({
      where: { organizationId: scope.organizationId },
      create: { organizationId: scope.organizationId, stripeConnectAccountId: accountId },
      update: { stripeConnectAccountId: accountId },
    });
  }

  transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> {
    return this.prisma.$transaction(fn);
  }
}
