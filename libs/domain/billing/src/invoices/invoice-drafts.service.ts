import { Inject, Injectable } from '@nestjs/common';
import type { RatedInvoice } from '../rating';
import { rateInvoice } from './invoice-calculator';
import { InvoiceStoreRepository, type InvoiceFacts } from './invoice-store.repository';

export interface FinalizeHooks {
  /** Runs inside the finalization transaction after every write, before the commit (tests fail here to prove nothing half-written stays). */
  beforeCommit?: () => Promise<void> | void;
}

/**
 * Draft invoices recomputed from events, and their finalization. Both start by taking the
 * invoice's row lock through a conditional update on `status = DRAFT`; the meter holds the same
 * rows FOR SHARE while it stores a batch, so an event is either counted by the finalization or
 * stored as late for it — never neither.
 */
@Injectable()
export class InvoiceDraftsService {
  constructor(@Inject(InvoiceStoreRepository) private readonly store: InvoiceStoreRepository) {}

  /** Rewrites a draft's lines and totals from its events. Returns the rating, or null when it is no longer a draft. */
  async recompute(invoiceId: string): Promise<{ facts: InvoiceFacts; rated: RatedInvoice } | null> {
    return this.store.transaction(async (tx) => {
      if (!(await this.store.lockDraft(tx, invoiceId, null))) return null;
      const facts = await this.store.facts(tx, invoiceId);
      const rated = rateInvoice(facts);
      await this.store.writeRating(tx, invoiceId, rated, facts.taxRateBps);
      return { facts, rated };
    });
  }

  /**
   * DRAFT → FINALIZED in one transaction: the claim, the final lines from the events committed
   * by then, the publisher's next number and the ledger entries. A crash anywhere inside leaves
   * the draft as it was; a second worker's claim finds no draft and does nothing.
   */
  async finalize(invoiceId: string, now: Date, hooks: FinalizeHooks = {}): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      if (!(await this.store.lockDraft(tx, invoiceId, { at: now }))) return false;
      const facts = await this.store.facts(tx, invoiceId);
      const rated = rateInvoice(facts);
      const number = await this.store.nextNumber(tx, facts.invoice.publisherOrganizationId);
      await this.store.writeRating(tx, invoiceId, rated, facts.taxRateBps, number);
      await this.store.writeFinalizationLedger(tx, facts, rated);
      await hooks.beforeCommit?.();
      return true;
    });
  }
}
