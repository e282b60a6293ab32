import { ENV_VALUE_MAX_BYTES } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { describe, expect, it } from 'vitest';
import { validateBulkInput, validateSetInput } from './secrets.validation';

function caught(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('validateSetInput', () => {
  it('accepts a valid key and value and defaults secret to false', () => {
    expect(validateSetInput('DATABASE_URL', { value: 'postgres://x' })).toEqual({
      key: 'DATABASE_URL',
      value: 'postgres://x',
      secret: false,
    });
  });

  it('lists every problem with its field', () => {
    const error = caught(() => validateSetInput('1-bad', { value: '', secret: true }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors).toEqual([
      {
        path: 'key',
        message: expect.stringMatching(/letters, digits and underscores/),
      },
      { path: 'value', message: 'A secret cannot be empty.' },
    ]);
  });

  it('measures the value in UTF-8 bytes, not characters', () => {
    const fits = 'a'.repeat(ENV_VALUE_MAX_BYTES);
    expect(validateSetInput('A', { value: fits }).value).toBe(fits);
    // Under the character limit, over the byte limit: 'é' is 2 bytes.
    const error = caught(() => validateSetInput('A', { value: 'é'.repeat(ENV_VALUE_MAX_BYTES / 2 + 1) }));
    expect(error.errors).toEqual([{ path: 'value', message: expect.stringMatching(/64 KiB/) }]);
  });

  it('reports an over-long value once', () => {
    const error = caught(() => validateSetInput('A', { value: 'a'.repeat(ENV_VALUE_MAX_BYTES + 1) }));
    expect(error.errors).toHaveLength(1);
  });

  it('rejects a body that is not the contract shape', () => {
    const error = caught(() => validateSetInput('A', { value: 42 } as unknown as { value: string }));
    expect(error.errors?.[0]?.path).toBe('value');
  });
});

describe('validateBulkInput', () => {
  it('returns the parsed entries and the secret flag', () => {
    expect(validateBulkInput({ dotenv: 'A=1\nB="two"', secret: true })).toEqual({
      entries: [
        { key: 'A', value: '1', line: 1 },
        { key: 'B', value: 'two', line: 2 },
      ],
      secret: true,
    });
  });

  it('lists every bad line, in line order, as "line N"', () => {
    const tooBig = 'x'.repeat(ENV_VALUE_MAX_BYTES + 1);
    const error = caught(() =>
      validateBulkInput({
        dotenv: `OK=1\nBIG=${tooBig}\nbad line\n9X=1\nEMPTY=`,
        secret: true,
      }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.errors?.map((e) => e.path)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
    expect(error.errors?.[0]?.message).toMatch(/^BIG: Values are limited/);
    expect(error.errors?.[3]?.message).toBe('EMPTY: A secret cannot be empty.');
    // The detail names lines, never values.
    expect(error.message).not.toContain(tooBig.slice(0, 50));
  });

  it('allows empty plain values', () => {
    expect(validateBulkInput({ dotenv: 'EMPTY=' }).entries).toEqual([{ key: 'EMPTY', value: '', line: 1 }]);
  });

  it('rejects a paste with no variables', () => {
    expect(caught(() => validateBulkInput({ dotenv: '# nothing\n' })).errors).toEqual([
      { path: 'dotenv', message: 'Paste at least one KEY=value line.' },
    ]);
  });
});
