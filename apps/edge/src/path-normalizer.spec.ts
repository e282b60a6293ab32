import { describe, expect, it } from 'vitest';
import { looksLikeId, normalizePath, PATH_MAX_DEPTH } from './path-normalizer';

describe('normalizePath', () => {
  it('drops the query string and fragment, and a trailing slash', () => {
    expect(normalizePath('/search?q=secret&page=2')).toBe('/search');
    expect(normalizePath('/docs/#intro')).toBe('/docs');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/?utm=x')).toBe('/');
    expect(normalizePath(undefined)).toBe('/');
    expect(normalizePath('//a///b')).toBe('/a/b');
  });

  it('folds numbers, UUIDs, hashes, tokens and emails to :id', () => {
    expect(normalizePath('/users/42/orders/20261207')).toBe('/users/:id/orders/:id');
    expect(normalizePath('/items/3f2b9c1e-7a4d-4e2b-9c1e-7a4d4e2b9c1e')).toBe('/items/:id');
    expect(normalizePath('/commits/8aff89947c2e0a0b6f3f1d2e4c5b6a7980a1b2c3')).toBe('/commits/:id');
    expect(normalizePath('/objects/507f1f77bcf86cd799439011')).toBe('/objects/:id');
    expect(normalizePath('/share/V1StGXR8_Z5jdHi6B-myT')).toBe('/share/:id');
    expect(normalizePath('/u/ada@example.com/profile')).toBe('/u/:id/profile');
    expect(normalizePath('/u/ada%40example.com')).toBe('/u/:id');
    expect(normalizePath(`/blob/${'x'.repeat(60)}`)).toBe('/blob/:id');
  });

  it('keeps route names, versions and file names', () => {
    expect(normalizePath('/api/v1/checkout')).toBe('/api/v1/checkout');
    expect(normalizePath('/assets/app.css')).toBe('/assets/app.css');
    expect(normalizePath('/static/background-image-large')).toBe('/static/background-image-large');
    expect(['healthz', 'v2', 'index.html', 'deadbeef'].map(looksLikeId)).toEqual([false, false, false, false]);
  });

  it('caps the depth', () => {
    const deep = '/a/b/c/d/e/f/g/h/i';
    const out = normalizePath(deep);
    expect(out).toBe('/a/b/c/d/e/f/…');
    expect(out.split('/').length - 2).toBe(PATH_MAX_DEPTH);
  });

  it('reads the path of an absolute-form target', () => {
    expect(normalizePath('http://web.localhost/users/7?x')).toBe('/users/:id');
    expect(normalizePath('*')).toBe('/');
  });
});
