import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { routes, type RouteName } from '@slipway/contracts';
import { AppModule } from '../app.module';
import { PUBLIC_KEY, ROUTE_KEY } from './route.decorator';

type Ctor = new (...args: never[]) => object;

const controllers = (Reflect.getMetadata('controllers', AppModule) ?? []) as Ctor[];

function handlers() {
  return controllers.flatMap((c) =>
    Object.getOwnPropertyNames(c.prototype)
      .filter((name) => name !== 'constructor')
      .map((name) => ({ controller: c.name, name, fn: (c.prototype as Record<string, unknown>)[name] as object, cls: c }))
      .filter((h) => Reflect.getMetadata(METHOD_METADATA, h.fn) !== undefined),
  );
}

describe('every endpoint is guarded and bound to its contract', () => {
  it('has a contract route or an explicit @Public() on each handler', () => {
    const unguarded = handlers().filter((h) => !Reflect.getMetadata(ROUTE_KEY, h.fn) && !Reflect.getMetadata(PUBLIC_KEY, h.fn) && !Reflect.getMetadata(PUBLIC_KEY, h.cls));
    expect(unguarded.map((h) => `${h.controller}.${h.name}`)).toEqual([]);
  });

  it('binds each contract route exactly once, with the declared method and path', () => {
    const bound = handlers()
      .map((h) => ({ name: Reflect.getMetadata(ROUTE_KEY, h.fn) as RouteName | undefined, fn: h.fn }))
      .filter((h): h is { name: RouteName; fn: object } => h.name !== undefined);
    expect(bound.map((b) => b.name).sort()).toEqual((Object.keys(routes) as RouteName[]).sort());
    for (const b of bound) {
      expect(Reflect.getMetadata(PATH_METADATA, b.fn), b.name).toBe(routes[b.name].path);
      expect(RequestMethod[Reflect.getMetadata(METHOD_METADATA, b.fn) as number], b.name).toBe(routes[b.name].method);
    }
  });

  it('declares an organization role on every route under /orgs/:org', () => {
    const missing = Object.entries(routes).filter(([, r]) => r.path.startsWith('/orgs/:org') && !('role' in r));
    expect(missing.map(([n]) => n)).toEqual([]);
  });
});
