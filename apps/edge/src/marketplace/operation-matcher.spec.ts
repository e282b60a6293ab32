import { describe, expect, it } from 'vitest';
import { compileOperations, pathOf } from './operation-matcher';

describe('compileOperations', () => {
  const match = compileOperations([
    { method: 'GET', path: '/forecast' },
    { method: 'POST', path: '/v1/batch/**' },
    { method: '*', path: '/v1/items/*' },
    { method: 'GET', path: '/v1/items/*/photos' },
    { method: 'GET', path: '/files/*.json' },
  ]);
  const path = (m: string, p: string) => match(m, p)?.path;

  it('matches literal paths exactly, on the method given', () => {
    expect(path('GET', '/forecast')).toBe('/forecast');
    expect(path('get', '/forecast')).toBe('/forecast');
    expect(path('POST', '/forecast')).toBeUndefined();
    expect(path('GET', '/forecast/')).toBeUndefined();
    expect(path('GET', '/forecasts')).toBeUndefined();
  });

  it('lets * match exactly one segment, and any method with method *', () => {
    expect(path('DELETE', '/v1/items/42')).toBe('/v1/items/*');
    expect(path('GET', '/v1/items/')).toBeUndefined();
    expect(path('GET', '/v1/items/42/photos')).toBe('/v1/items/*/photos');
    expect(path('GET', '/v1/items/42/other')).toBeUndefined();
    expect(path('GET', '/files/a.json')).toBe('/files/*.json');
    expect(path('GET', '/files/a/b.json')).toBeUndefined();
  });

  it('lets a trailing ** match the rest, none included', () => {
    for (const p of ['/v1/batch', '/v1/batch/', '/v1/batch/a/b/c']) expect(path('POST', p)).toBe('/v1/batch/**');
    expect(path('POST', '/v1/batches')).toBeUndefined();
  });

  it('treats regex characters in patterns literally', () => {
    const m = compileOperations([{ method: 'GET', path: '/a.b/(x)+' }]);
    expect(m('GET', '/a.b/(x)+')).toBeDefined();
    expect(m('GET', '/aXb/(x)+')).toBeUndefined();
  });

  it('answers the first pattern that matches, in listing order', () => {
    const m = compileOperations([
      { method: 'GET', path: '/v1/**', n: 1 },
      { method: 'GET', path: '/v1/items/*', n: 2 },
    ]);
    expect(m('GET', '/v1/items/1')?.n).toBe(1);
  });
});

describe('pathOf', () => {
  it('drops the query string', () => {
    expect(pathOf('/forecast?city=Paris&key=swk_x')).toBe('/forecast');
    expect(pathOf('/a')).toBe('/a');
    expect(pathOf(undefined)).toBe('/');
  });
});
