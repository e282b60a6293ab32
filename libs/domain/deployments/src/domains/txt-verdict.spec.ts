import { describe, expect, it } from 'vitest';
import { judgeTxt } from './txt-verdict';

const TOKEN = 'slipway-0123456789abcdef';

describe('TXT verdict', () => {
  it('is proven when one of the values is exactly the token (surrounding spaces ignored)', () => {
    expect(judgeTxt({ kind: 'found', values: ['v=spf1 -all', ` ${TOKEN} `] }, 'www.example.com', TOKEN)).toEqual({ proven: true });
  });

  it('is not proven by another value, a value that merely contains the token, or no record, and says what to do', () => {
    const other = judgeTxt({ kind: 'found', values: [`x${TOKEN}`] }, 'www.example.com', TOKEN);
    expect(other).toMatchObject({ proven: false, unavailable: false });
    expect(!other.proven && other.problem).toContain(`not ${TOKEN}. Set it to ${TOKEN}`);
    const none = judgeTxt({ kind: 'none' }, 'www.example.com', TOKEN);
    expect(!none.proven && none.problem).toContain('No TXT record found at _slipway-challenge.www.example.com');
  });

  it('tells a DNS failure apart from a missing record', () => {
    expect(judgeTxt({ kind: 'unavailable', reason: 'ETIMEOUT' }, 'www.example.com', TOKEN)).toMatchObject({ proven: false, unavailable: true });
  });
});
