import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { AppError, fieldProblems } from '@slipway/errors';
import { routes, type Actor, type OrgActor, type RouteName } from '@slipway/contracts';
import type { z } from 'zod';
import { contextOf, type SlipwayRequest } from './request-context';

const request = (ctx: ExecutionContext) => ctx.switchToHttp().getRequest<SlipwayRequest>();

/** The authenticated caller (set by AuthGuard). */
export const CurrentActor = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor => {
  const actor = contextOf(request(ctx)).actor;
  if (!actor) throw new AppError('UNAUTHENTICATED');
  return actor;
});

/** The caller inside the `:org` of the path, with the role the guard checked. */
export const CurrentOrg = createParamDecorator((_: unknown, ctx: ExecutionContext): OrgActor => {
  const actor = contextOf(request(ctx)).orgActor;
  if (!actor) throw new AppError('INTERNAL', 'Route has no organization role rule.');
  return actor;
});

function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = fieldProblems(result.error.issues);
    throw new AppError('VALIDATION_FAILED', errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ') || `Invalid ${where}.`, errors);
  }
  return result.data;
}

/** The request body, validated against the route's zod contract: `@ValidBody('createProject') input: CreateProjectInput`. */
export const ValidBody = createParamDecorator((name: RouteName, ctx: ExecutionContext) => {
  const route = routes[name];
  if (!('body' in route)) throw new AppError('INTERNAL', `Route ${name} declares no body.`);
  const body = request(ctx).body;
  // Only JSON bodies are parsed into objects; text or binary means the wrong content type.
  if (typeof body === 'string' || Buffer.isBuffer(body)) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
  return parse(route.body, body ?? {}, 'body');
});

/** The query string, validated against the route's zod contract. */
export const ValidQuery = createParamDecorator((name: RouteName, ctx: ExecutionContext) => {
  const route = routes[name];
  if (!('query' in route)) throw new AppError('INTERNAL', `Route ${name} declares no query.`);
  return parse(route.query, request(ctx).query ?? {}, 'query');
});

/** Client address and agent for sessions and the audit log. */
export const ClientInfoParam = createParamDecorator((_: unknown, ctx: ExecutionContext) => {
  const req = request(ctx);
  const ua = req.headers['user-agent'];
  return { ip: req.ip ?? null, userAgent: typeof ua === 'string' ? ua : null };
});
