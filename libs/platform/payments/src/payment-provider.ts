/**
 * The port every payment provider implements. Slipway's ledger is the record of truth: a
 * provider only moves money and reports what it did; whether an invoice is PAID is decided by
 * the billing domain (a publisher marking it, or a verified provider event whose amount matches).
 */
export type PaymentProviderName = 'manual' | 'stripe';

export interface CustomerInput {
  organizationId: string;
  organizationName: string;
  /** The provider's customer id stored for the organization, if any. */
  existingCustomerId: string | null;
}

export interface CollectInput {
  invoiceId: string;
  invoiceNumber: string;
  totalMicros: bigint;
  currency: string;
  /** From ensureCustomer (null for providers without customers). */
  customerId: string | null;
}

export type CollectResult =
  /** Nothing was charged: the consumer pays by hand, following these instructions. */
  | { kind: 'instructions'; instructions: string }
  /** A charge was started; its outcome arrives later (a webhook). */
  | { kind: 'pending'; reference: string; clientSecret: string | null };

export interface TransferInput {
  payoutId: string;
  netMicros: bigint;
  currency: string;
  /** The publisher's connected account at the provider. */
  destinationAccountId: string;
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  /** Whether payouts can be sent by the provider (else they are paid by hand and marked paid). */
  readonly transfersPayouts: boolean;
  /** The provider's customer for an organization (created once; null when the provider has none). */
  ensureCustomer(input: CustomerInput): Promise<string | null>;
  collect(invoice: CollectInput): Promise<CollectResult>;
  /** Sends a payout; the returned reference is the provider's id of the transfer. */
  transferPayout(payout: TransferInput): Promise<{ reference: string }>;
}

/** Nest injection token of the configured provider. */
export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

const MICROS_PER_CENT = 10_000n;

/**
 * Micro-USD to the cents card networks charge, half up: an invoice of $12.345 678 is charged
 * $12.35. Invoices are rated in micro-USD; only the amount sent to a provider is rounded.
 */
export function centsFromMicros(micros: bigint): number {
  if (micros < 0n) throw new RangeError('a charge cannot be negative');
  return Number((micros + MICROS_PER_CENT / 2n) / MICROS_PER_CENT);
}
