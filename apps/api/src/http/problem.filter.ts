import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ERROR_CODES, problemType, type ErrorCode, type Problem } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import type { SlipwayRequest } from './request-context';

/** Fastify's own error codes for bodies it refuses before our code runs. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
};

/**
 * Every error leaves as application/problem+json with a stable code. Unknown errors are
 * logged with the request id and answered as INTERNAL without internals.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(exception, http.getRequest<SlipwayRequest>(), http.getResponse<FastifyReply>(), this.logger);
  }
}

export function sendProblem(exception: unknown, req: SlipwayRequest, reply: FastifyReply, logger: Logger): void {
  const { code, detail, errors, retryAfter } = classify(exception, req);
  const { status, title } = ERROR_CODES[code];
  if (status >= 500) logger.error(`${req.method} ${req.url} [${req.id}]: ${exception instanceof Error ? (exception.stack ?? exception.message) : String(exception)}`);
  const body: Problem = { type: problemType(code), title, status, code, ...(detail && detail !== title ? { detail } : {}), ...(errors?.length ? { errors } : {}), requestId: String(req.id) };
  if (retryAfter) void reply.header('retry-after', String(retryAfter));
  void reply.status(status).header('content-type', 'application/problem+json; charset=utf-8').send(JSON.stringify(body));
}

function classify(exception: unknown, req: SlipwayRequest): { code: ErrorCode; detail?: string; errors?: Problem['errors']; retryAfter?: number } {
  if (exception instanceof AppError) return { code: exception.code, detail: exception.message, errors: exception.errors, retryAfter: exception.retryAfterSeconds };
  // Nest wraps Fastify's body-parser errors in an HttpException whose cause carries the code.
  const fastifyCode = codeOf(exception) ?? codeOf((exception as { cause?: unknown } | null)?.cause);
  if (fastifyCode && FASTIFY_CODES[fastifyCode]) {
    const code = FASTIFY_CODES[fastifyCode];
    return { code, detail: code === 'MALFORMED_JSON' ? 'Check the body for a syntax error, e.g. a trailing comma or an unquoted key.' : undefined };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    if (status === 404) return { code: 'ROUTE_NOT_FOUND', detail: `No endpoint ${req.method} ${req.url.split('?')[0]}.` };
    if (status === 413) return { code: 'PAYLOAD_TOO_LARGE' };
    if (status === 415) return { code: 'UNSUPPORTED_MEDIA_TYPE' };
    if (status < 500) return { code: 'VALIDATION_FAILED', detail: exception.message };
  }
  return { code: 'INTERNAL' };
}

const codeOf = (e: unknown): string | undefined => (typeof (e as { code?: unknown } | null)?.code === 'string' ? (e as { code: string }).code : undefined);
