import { ERROR_CODES, type ErrorCode } from '@slipway/contracts';

export interface FieldProblem {
  path: string;
  message: string;
}

export interface AppErrorOptions {
  /** Jobs retry only retryable errors; everything else is permanent. */
  retryable?: boolean;
  /** Sent as `Retry-After` (seconds) with 429 and 503 answers. */
  retryAfterSeconds?: number;
}

/**
 * The one error type the domain throws. The HTTP layer maps `code` to a status and a
 * problem+json body; jobs treat `retryable: false` as permanent.
 */
export class AppError extends Error {
  readonly status: number;
  readonly retryable: boolean;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly errors?: FieldProblem[],
    options: AppErrorOptions = {},
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = 'AppError';
    this.status = ERROR_CODES[code].status;
    this.retryable = options.retryable ?? false;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (what: string): AppError => new AppError('NOT_FOUND', `${what} was not found.`);
export const forbidden = (detail?: string): AppError => new AppError('FORBIDDEN', detail);
export const validationFailed = (errors: FieldProblem[]): AppError =>
  new AppError('VALIDATION_FAILED', errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; '), errors);

/** Turns zod issues into field problems: `{ path: 'environments.0.name', message }`. */
export const fieldProblems = (issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldProblem[] =>
  issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
