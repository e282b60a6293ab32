import { describe, expect, it } from 'vitest';
import { monthOf, statementAmounts } from './payout-math';

describe('statementAmounts', () => {
  it('takes the fee on gross minus credit notes, half up to the micro-USD', () => {
    // $100 paid, $10 credited, 5 %: fee 4.5 USD exactly, net 85.5 USD.
    expect(statementAmounts(100_000_000n, 10_000_000n, 500)).toEqual({ grossMicros: 100_000_000n, creditNotesMicros: 10_000_000n, feeMicros: 4_500_000n, netMicros: 85_500_000n });
    // 5 % of 333 µUSD = 16.65 → 17; of 330 = 16.5 → 17 (half up); of 329 = 16.45 → 16.
    expect(statementAmounts(333n, 0n, 500).feeMicros).toBe(17n);
    expect(statementAmounts(330n, 0n, 500).feeMicros).toBe(17n);
    expect(statementAmounts(329n, 0n, 500).feeMicros).toBe(16n);
    // gross − credits − fee = net, always exactly.
    for (const [g, c, bps] of [[123_456_789n, 1_234_567n, 500], [1n, 0n, 9_999], [999_999_999_999n, 7n, 1]] as const) {
      const s = statementAmounts(g, c, bps);
      expect(s.grossMicros - s.creditNotesMicros - s.feeMicros).toBe(s.netMicros);
    }
  });

  it('takes no fee when credit notes reach the gross, and a zero fee leaves the net whole', () => {
    expect(statementAmounts(5_000_000n, 7_000_000n, 500)).toMatchObject({ feeMicros: 0n, netMicros: -2_000_000n });
    expect(statementAmounts(5_000_000n, 0n, 0)).toMatchObject({ feeMicros: 0n, netMicros: 5_000_000n });
    expect(() => statementAmounts(1n, 0n, 10_001)).toThrow(RangeError);
  });
});

describe('monthOf', () => {
  it('is the UTC calendar month, across a year end', () => {
    expect(monthOf(new Date('2026-12-31T23:59:59.999Z'))).toEqual({ start: new Date('2026-12-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(monthOf(new Date('2027-02-01T00:00:00Z')).end).toEqual(new Date('2027-03-01T00:00:00Z'));
  });
});
