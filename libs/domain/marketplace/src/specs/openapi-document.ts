import { createHash } from 'node:crypto';
import { OPENAPI_MAX_BYTES } from '@slipway/contracts';
import { AppError } from '@slipway/errors';
import { parse as parseYaml } from 'yaml';

export interface OpenApiDocument {
  document: Record<string, unknown>;
  /** sha256 of the canonical JSON (keys sorted): the same document is stored once per listing. */
  sha256: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON with object keys sorted at every level, so key order does not make a new version. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

const invalid = (detail: string, path = 'document'): AppError => new AppError('INVALID_OPENAPI', detail, [{ path, message: detail }]);

/**
 * An OpenAPI 3.x document from JSON text, YAML text or an already parsed object: a `openapi`
 * version 3.x, an `info` object and a `paths` object. Anything else answers INVALID_OPENAPI
 * with what is wrong; nothing is stored.
 */
export function parseOpenApiDocument(input: string | Record<string, unknown>): OpenApiDocument {
  let value: unknown = input;
  if (typeof input === 'string') {
    if (Buffer.byteLength(input) > OPENAPI_MAX_BYTES) throw invalid(`The document is larger than ${OPENAPI_MAX_BYTES} bytes.`);
    try {
      // YAML is a superset of JSON: one parser takes both. Aliases are capped (billion laughs).
      value = parseYaml(input, { maxAliasCount: 100 });
    } catch (err) {
      throw invalid(`The document is neither valid JSON nor valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  if (!isObject(value)) throw invalid('The document must be an object (an OpenAPI document), not a list or a single value.');
  const canonical = canonicalJson(value);
  if (Buffer.byteLength(canonical) > OPENAPI_MAX_BYTES) throw invalid(`The document is larger than ${OPENAPI_MAX_BYTES} bytes.`);
  const version = value.openapi;
  if (typeof version !== 'string' || !/^3\.\d+(\.\d+)?$/.test(version))
    throw invalid(
      typeof value.swagger === 'string' ? 'Swagger 2.0 documents are not supported: convert it to OpenAPI 3.x.' : 'Set "openapi" to a 3.x version, e.g. "3.1.0".',
      'document.openapi',
    );
  if (!isObject(value.info)) throw invalid('Add an "info" object with the title and version of the API.', 'document.info');
  if (!isObject(value.paths)) throw invalid('Add a "paths" object with the operations of the API.', 'document.paths');
  // Re-parsed from the canonical text: a plain JSON tree (no YAML dates or undefined values).
  return { document: JSON.parse(canonical) as Record<string, unknown>, sha256: createHash('sha256').update(canonical).digest('hex') };
}
