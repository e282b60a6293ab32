import { describe, expect, it } from 'vitest';
import { ManualPaymentProvider } from './manual-provider';
import { centsFromMicros } from './payment-provider';

describe('centsFromMicros', () => {
  it('rounds micro-USD to cents half up', () => {
    expect(centsFromMicros(0n)).toBe(0);
    expect(centsFromMicros(4_999n)).toBe(0);
    expect(centsFromMicros(5_000n)).toBe(1);
    expect(centsFromMicros(12_344_999n)).toBe(1234);
    expect(centsFromMicros(12_345_000n)).toBe(1235);
    expect(() => centsFromMicros(-1n)).toThrow(RangeError);
  });
});

describe('ManualPaymentProvider', () => {
  it('answers bank-transfer instructions naming the invoice, and sends no transfers', async () => {
    const manual = new ManualPaymentProvider('Pay to IBAN DE00 1234.');
    expect(await manual.collect({ invoiceId: 'i', invoiceNumber: 'acme-000001', totalMicros: 1n, currency: 'USD', customerId: null })).toEqual({
      kind: 'instructions',
      instructions: 'Pay to IBAN DE00 1234. Reference: acme-000001.',
    });
    expect(manual.transfersPayouts).toBe(false);
    await expect(manual.transferPayout()).rejects.toThrow(/by hand/);
  });
});
