import { describe, expect, it } from 'vitest';
import { AppError } from '@slipway/errors';
import { OPENAPI_MAX_BYTES } from '@slipway/contracts';
import { canonicalJson, parseOpenApiDocument } from './openapi-document';

const doc = { openapi: '3.1.0', info: { title: 'Weather', version: '1' }, paths: { '/forecast': { get: { responses: { 200: { description: 'ok' } } } } } };

function problem(input: Parameters<typeof parseOpenApiDocument>[0]): { code: string; path?: string } {
  try {
    parseOpenApiDocument(input);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, path: err.errors?.[0]?.path };
    throw err;
  }
  throw new Error('accepted');
}

describe('OpenAPI documents', () => {
  it('takes JSON text, YAML text and objects alike, with one hash whatever the key order or syntax', () => {
    const fromObject = parseOpenApiDocument(doc);
    const fromJson = parseOpenApiDocument(JSON.stringify({ paths: doc.paths, info: doc.info, openapi: doc.openapi }));
    const fromYaml = parseOpenApiDocument(
      ['openapi: 3.1.0', 'info:', '  title: Weather', "  version: '1'", 'paths:', '  /forecast:', '    get:', '      responses:', "        '200':", '          description: ok'].join('\n'),
    );
    expect(fromJson.sha256).toBe(fromObject.sha256);
    expect(fromYaml.sha256).toBe(fromObject.sha256);
    expect(fromYaml.document).toEqual(doc);
    expect(parseOpenApiDocument({ ...doc, info: { ...doc.info, version: '2' } }).sha256).not.toBe(fromObject.sha256);
  });

  it('refuses what is not an OpenAPI 3.x document with paths, naming the field to fix', () => {
    expect(problem('{"openapi": ')).toEqual({ code: 'INVALID_OPENAPI', path: 'document' });
    expect(problem('- a\n- list')).toEqual({ code: 'INVALID_OPENAPI', path: 'document' });
    expect(problem({ swagger: '2.0', info: {}, paths: {} })).toEqual({ code: 'INVALID_OPENAPI', path: 'document.openapi' });
    expect(problem({ openapi: '4.0.0', info: {}, paths: {} })).toEqual({ code: 'INVALID_OPENAPI', path: 'document.openapi' });
    expect(problem({ openapi: '3.0.3', paths: {} })).toEqual({ code: 'INVALID_OPENAPI', path: 'document.info' });
    expect(problem({ openapi: '3.0.3', info: {} })).toEqual({ code: 'INVALID_OPENAPI', path: 'document.paths' });
  });

  it('refuses a document past the size cap, and YAML alias bombs', () => {
    expect(problem({ ...doc, 'x-pad': 'x'.repeat(OPENAPI_MAX_BYTES) }).code).toBe('INVALID_OPENAPI');
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(problem(bomb).code).toBe('INVALID_OPENAPI');
  });

  it('writes canonical JSON with sorted keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}');
  });
});
