import { describe, expect, it } from 'vitest';
import { ApiError } from './api';

describe('ApiError', () => {
  it('keys field errors by their last path segment, first message wins', () => {
    const err = new ApiError(
      400,
      {
        type: 't',
        title: 'The request is not valid.',
        status: 400,
        code: 'VALIDATION_FAILED',
        errors: [
          { path: 'body.slug', message: 'Use lower-case letters.' },
          { path: 'slug', message: 'second' },
          { path: 'name', message: 'Enter a name.' },
        ],
      },
      'The request is not valid.',
    );
    expect(err.fieldErrors()).toEqual({ slug: 'Use lower-case letters.', name: 'Enter a name.' });
    expect(err.code).toBe('VALIDATION_FAILED');
  });
});
