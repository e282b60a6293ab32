import { applyDecorators, Delete, Get, HttpCode, Patch, Post, Put, SetMetadata } from '@nestjs/common';
import { routes, type RouteName } from '@slipway/contracts';

export const ROUTE_KEY = 'slipway:route';
export const PUBLIC_KEY = 'slipway:public';

const METHOD = { GET: Get, POST: Post, PUT: Put, PATCH: Patch, DELETE: Delete } as const;

/**
 * Binds a handler to its contract in libs/contracts: method, path, status and the auth rules
 * the guard enforces all come from one declaration.
 */
export function Route(name: RouteName): MethodDecorator {
  const route = routes[name];
  return applyDecorators(
    METHOD[route.method](route.path),
    HttpCode('status' in route ? route.status : 200),
    SetMetadata(ROUTE_KEY, name),
  );
}

/** For endpoints outside the contract (health, docs): no authentication. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_KEY, true);
