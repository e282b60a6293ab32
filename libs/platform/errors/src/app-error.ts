import { ERROR_CODES, type ErrorCode } from '@slipway/contracts';

export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * The one error type the domain throws. The HTTP layer maps `code` to a status and a
 * problem+json body; jobs treat `retryable: false` as permanent.
 */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldProblem[],
    readonly retryable = false,
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (detail?: string): AppError => new AppError('FORBIDDEN', detail);
export const validationFailed = (errors: FieldProblem[]): AppError =>
  new AppError('VALIDATION_FAILED', errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), errors);
