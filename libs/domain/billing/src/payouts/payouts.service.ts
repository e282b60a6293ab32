import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '@slipway/audit';
import { CONFIG, type Config } from '@slipway/config';
import type { MarkPayoutPaidInput, OrgActor, PaymentProviderName, PayoutAccountDto, PayoutDto, SetPayoutAccountInput, TenantScope } from '@slipway/contracts';
import type { ApiPayout } from '@slipway/db';
import { AppError } from '@slipway/errors';
import { PAYMENT_PROVIDER, type PaymentProvider } from '@slipway/payments';
import { monthOf, statementAmounts } from './payout-math';
import { PayoutsRepository } from './payouts.repository';

/** A month's statement is made this long after the month ends, so a payment recorded at 23:59:59 has committed. */
const SETTLE_MS = 10 * 60_000;
/** How far back the job looks for months without a statement (a worker down for a while catches up). */
const LOOKBACK_MONTHS = 12;

/**
 * Payout statements: per publisher and calendar month (UTC), invoices paid in the month −
 * credit notes issued in it − the platform fee (MARKETPLACE_PLATFORM_FEE_BPS). A statement is
 * made once, after its month ends, and never changes; it is paid by hand (marked paid with a
 * reference) or by a Stripe Connect transfer. Each money movement is one ledger entry.
 */
@Injectable()
export class PayoutsService {
  private readonly logger = new Logger('payouts');

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PayoutsRepository) private readonly repository: PayoutsRepository,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
  ) {}

  async list(scope: TenantScope): Promise<PayoutDto[]> {
    return (await this.repository.list(scope)).map(toDto);
  }

  async get(scope: TenantScope, payoutId: string): Promise<PayoutDto> {
    return toDto(await this.found(scope, payoutId));
  }

  /** The payouts job: statements for every ended month (within the last year) that has none. */
  async createStatements(now = new Date()): Promise<number> {
    const settled = monthOf(new Date(now.getTime() - SETTLE_MS)).start;
    const since = new Date(Date.UTC(settled.getUTCFullYear(), settled.getUTCMonth() - LOOKBACK_MONTHS, 1));
    let created = 0;
    for (const month of await this.repository.monthsWithoutStatement(since, settled)) {
      const amounts = statementAmounts(month.grossMicros, month.creditNotesMicros, this.config.MARKETPLACE_PLATFORM_FEE_BPS);
      if (await this.repository.createStatement(month, monthOf(month.periodStart).end, amounts)) created++;
    }
    if (created) this.logger.log(`${created} payout statement(s) created`);
    return created;
  }

  async markPaid(actor: OrgActor, payoutId: string, input: MarkPayoutPaidInput, now = new Date()): Promise<PayoutDto> {
    const payout = refuseUnpayable(await this.found(actor, payoutId));
    await this.settle(actor, payout, { provider: 'manual', reference: input.reference, at: now }, 'billing.payout_marked_paid');
    return this.get(actor, payoutId);
  }

  /** Stripe Connect: one transfer per statement (idempotency key `payout:<id>:transfer`), then PAID. */
  async transfer(actor: OrgActor, payoutId: string, now = new Date()): Promise<PayoutDto> {
    const payout = refuseUnpayable(await this.found(actor, payoutId));
    if (!this.provider.transfersPayouts) throw new AppError('PAYOUT_TRANSFERS_DISABLED');
    const destination = await this.repository.connectAccountOf(actor);
    if (!destination) throw new AppError('PAYOUT_ACCOUNT_MISSING');
    let reference: string;
    try {
      ({ reference } = await this.provider.transferPayout({ payoutId: payout.id, netMicros: payout.netMicros, currency: 'USD', destinationAccountId: destination }));
    } catch (err) {
      this.logger.warn(`payout ${payout.id} transfer failed: ${err instanceof Error ? err.message : String(err)}`);
      throw new AppError('PAYMENT_PROVIDER_FAILED');
    }
    await this.settle(actor, payout, { provider: this.provider.name, reference, at: now }, 'billing.payout_transferred');
    return this.get(actor, payoutId);
  }

  async account(scope: TenantScope): Promise<PayoutAccountDto> {
    return { provider: this.provider.name, transfersEnabled: this.provider.transfersPayouts, stripeConnectAccountId: await this.repository.connectAccountOf(scope) };
  }

  async setAccount(actor: OrgActor, input: SetPayoutAccountInput): Promise<PayoutAccountDto> {
    await this.repository.transaction(async (tx) => {
      await this.repository.setConnectAccount(actor, input.stripeConnectAccountId, tx);
      await this.audit.record({ organizationId: actor.organizationId, actor, action: 'billing.payout_account_set', target: `payout-account:${input.stripeConnectAccountId ?? 'none'}` }, tx);
    });
    return this.account(actor);
  }

  private async settle(actor: OrgActor, payout: ApiPayout, paid: { provider: string; reference: string; at: Date }, action: 'billing.payout_marked_paid' | 'billing.payout_transferred'): Promise<void> {
    const done = await this.repository.transaction(async (tx) => {
      if (!(await this.repository.markPaid(payout, paid, tx))) return false;
      await this.audit.record({ organizationId: actor.organizationId, actor, action, target: `payout:${payout.periodStart.toISOString().slice(0, 7)}`, metadata: { reference: paid.reference, netMicros: payout.netMicros.toString() } }, tx);
      return true;
    });
    if (!done) throw new AppError('PAYOUT_ALREADY_PAID');
  }

  private async found(scope: TenantScope, payoutId: string): Promise<ApiPayout> {
    const payout = await this.repository.get(scope, payoutId);
    if (!payout) throw new AppError('NOT_FOUND', 'No such payout statement.');
    return payout;
  }
}

function refuseUnpayable(payout: ApiPayout): ApiPayout {
  if (payout.status === 'PAID') throw new AppError('PAYOUT_ALREADY_PAID', `Paid on ${payout.paidAt?.toISOString() ?? 'an earlier date'} (reference ${payout.providerReference ?? 'none'}).`);
  if (payout.netMicros <= 0n) throw new AppError('PAYOUT_NOT_PAYABLE');
  return payout;
}

function toDto(p: ApiPayout): PayoutDto {
  return {
    id: p.id,
    periodStart: p.periodStart.toISOString(),
    periodEnd: p.periodEnd.toISOString(),
    invoiceCount: p.invoiceCount,
    grossMicros: Number(p.grossMicros),
    creditNotesMicros: Number(p.creditNotesMicros),
    feeMicros: Number(p.feeMicros),
    netMicros: Number(p.netMicros),
    status: p.status,
    provider: (p.provider as PaymentProviderName | null) ?? null,
    providerReference: p.providerReference,
    createdAt: p.createdAt.toISOString(),
    paidAt: p.paidAt?.toISOString() ?? null,
  };
}
