import { describe, expect, it } from 'vitest';
import { csvLine, text, usdDecimal } from './csv';

describe('csv', () => {
  it('quotes what needs quoting and ends lines with CRLF', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', null, 3, 4n, true])).toBe('a,"b,c","say ""hi""","two\nlines",,3,4,true\r\n');
  });

  it('defuses spreadsheet formulas in outside text', () => {
    expect(text('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(text('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(text('/v1/forecast')).toBe('/v1/forecast');
  });

  it('writes micro-USD as exact USD decimals', () => {
    expect(usdDecimal(12_345_678n)).toBe('12.345678');
    expect(usdDecimal(0n)).toBe('0.000000');
    expect(usdDecimal(-5n)).toBe('-0.000005');
    expect(usdDecimal(123_456_789_012_345_678n)).toBe('123456789012.345678');
  });
});
