import type { CollectInput, CollectResult, CustomerInput, PaymentProvider } from './payment-provider';

/**
 * The default provider, offline: a finalized invoice shows the operator's bank-transfer
 * instructions (MARKETPLACE_BANK_TRANSFER_INSTRUCTIONS) and a publisher ADMIN marks it paid
 * with the transfer's reference. Payouts are paid by hand and marked paid the same way.
 */
export class ManualPaymentProvider implements PaymentProvider {
  readonly name = 'manual' as const;
  readonly transfersPayouts = false;

  constructor(private readonly instructions: string) {}

  async ensureCustomer(_input: CustomerInput): Promise<string | null> {
    return null;
  }

  async collect(invoice: CollectInput): Promise<CollectResult> {
    return { kind: 'instructions', instructions: `${this.instructions} Reference: ${invoice.invoiceNumber}.` };
  }

  async transferPayout(): Promise<{ reference: string }> {
    throw new Error('The manual provider sends no transfers: pay the statement by hand and mark it paid.');
  }
}
