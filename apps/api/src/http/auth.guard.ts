import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CONFIG, type Config } from '@slipway/config';
import { AppError } from '@slipway/errors';
import { AuthService, OrganizationsService, TokensService } from '@slipway/identity';
import { roleAtLeast, routes, type RouteContract, type RouteName } from '@slipway/contracts';
import { CSRF_HEADER, sessionCookieOf } from './cookies';
import { contextOf, type SlipwayRequest } from './request-context';
import { PUBLIC_KEY, ROUTE_KEY } from './route.decorator';
import { timingSafeEqual } from 'node:crypto';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one global guard. Deny by default: a handler with neither a contract route nor
 * @Public() is refused, so a new endpoint cannot ship unguarded by accident.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    @Inject(CONFIG) private readonly config: Config,
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    private readonly tokens: TokensService,
    private readonly organizations: OrganizationsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const name = this.reflector.getAllAndOverride<RouteName | undefined>(ROUTE_KEY, targets);
    if (!name) throw new AppError('INTERNAL', 'Endpoint has no access rule.');
    const route: RouteContract = routes[name];
    if (route.auth === 'public') return true;

    const req = context.switchToHttp().getRequest<SlipwayRequest>();
    const ctx = contextOf(req);
    await this.authenticate(req, ctx);
    const actor = ctx.actor!;

    if (ctx.via === 'token') {
      // Tokens reach only routes that declare a scope: no token manages tokens or members.
      if (!route.scope || !actor.tokenScopes?.includes(route.scope)) {
        throw new AppError('TOKEN_SCOPE_MISSING', route.scope ? `This needs a token with the "${route.scope}" scope.` : 'This endpoint is not available to API tokens; use the console.');
      }
    }

    if (route.role) {
      const orgSlug = (req.params as Record<string, string>).org ?? '';
      ctx.orgActor = await this.organizations.resolveActor(actor, orgSlug);
      if (!roleAtLeast(ctx.orgActor.role, route.role)) {
        throw new AppError('FORBIDDEN', `This needs the ${route.role} role or higher; you are ${ctx.orgActor.role}.`);
      }
    }
    return true;
  }

  private async authenticate(req: SlipwayRequest, ctx: ReturnType<typeof contextOf>): Promise<void> {
    const ip = req.ip ?? null;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (bearer) {
      const principal = await this.tokens.authenticate(bearer);
      ctx.actor = { userId: principal.user.id, email: principal.user.email, ip, tokenScopes: principal.scopes };
      ctx.via = 'token';
      return;
    }
    const cookie = sessionCookieOf(req, this.config);
    if (!cookie) throw new AppError('UNAUTHENTICATED');
    const session = await this.auth.authenticate(cookie);
    if (!SAFE_METHODS.has(req.method) && !sameSecret(req.headers[CSRF_HEADER], session.csrfToken)) throw new AppError('CSRF_FAILED');
    ctx.actor = { userId: session.user.id, email: session.user.email, ip };
    ctx.sessionToken = cookie;
    ctx.session = session;
    ctx.via = 'session';
  }
}

function sameSecret(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
