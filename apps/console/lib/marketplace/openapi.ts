/**
 * The listing page's API reference, read from the listing's OpenAPI 3.x document: operations
 * grouped by path, their parameters (path- and operation-level merged, operation wins), request
 * body and responses, with local `$ref`s resolved (cycles cut). Pure, tolerant of partial
 * documents (publishers upload what they have): a missing piece is simply not shown.
 */
export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

export interface RefParameter {
  name: string;
  in: string;
  required: boolean;
  description: string | null;
  schema: SchemaView | null;
}

export interface RefResponse {
  status: string;
  description: string | null;
  schema: SchemaView | null;
}

export interface RefOperation {
  /** Stable anchor id, e.g. `get-forecast`. */
  id: string;
  method: string;
  path: string;
  summary: string | null;
  description: string | null;
  parameters: RefParameter[];
  requestBody: { required: boolean; contentType: string; schema: SchemaView | null } | null;
  responses: RefResponse[];
}

/** A schema reduced to what a reader needs: type, description, properties (nested), items, enum, example. */
export interface SchemaView {
  type: string;
  description: string | null;
  properties: { name: string; required: boolean; schema: SchemaView }[];
  items: SchemaView | null;
  enum: string[] | null;
  example: string | null;
}

export interface ApiReference {
  title: string | null;
  version: string | null;
  description: string | null;
  operations: RefOperation[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);

/** Follows `#/a/b` pointers inside the document; anything else (remote refs) stays unresolved. */
function resolve(doc: Json, value: unknown, seen: Set<string>): Json | null {
  if (!isObject(value)) return null;
  const ref = value.$ref;
  if (typeof ref !== 'string') return value;
  if (!ref.startsWith('#/') || seen.has(ref)) return null;
  let cur: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = isObject(cur) ? cur[key] : undefined;
  }
  return resolve(doc, cur, new Set([...seen, ref]));
}

const MAX_DEPTH = 5;

function schemaView(doc: Json, raw: unknown, seen = new Set<string>(), depth = 0): SchemaView | null {
  const ref = isObject(raw) && typeof raw.$ref === 'string' ? raw.$ref : null;
  const s = resolve(doc, raw, seen);
  if (!s)
    return ref
      ? { type: ref.split('/').pop() ?? 'object', description: null, properties: [], items: null, enum: null, example: null }
      : null;
  const nextSeen = ref ? new Set([...seen, ref]) : seen;
  const required = Array.isArray(s.required) ? s.required.filter((x): x is string => typeof x === 'string') : [];
  const properties =
    depth < MAX_DEPTH && isObject(s.properties)
      ? Object.entries(s.properties).flatMap(([name, p]) => {
          const view = schemaView(doc, p, nextSeen, depth + 1);
          return view ? [{ name, required: required.includes(name), schema: view }] : [];
        })
      : [];
  const items = depth < MAX_DEPTH && s.items !== undefined ? schemaView(doc, s.items, nextSeen, depth + 1) : null;
  const type = Array.isArray(s.type) ? s.type.join(' | ') : (str(s.type) ?? (properties.length ? 'object' : items ? 'array' : 'any'));
  return {
    type: type === 'array' && items ? `array of ${items.type}` : type,
    description: str(s.description),
    properties,
    items,
    enum: Array.isArray(s.enum) ? s.enum.map(String) : null,
    example: s.example === undefined ? null : typeof s.example === 'string' ? s.example : JSON.stringify(s.example),
  };
}

function parameters(doc: Json, list: unknown): RefParameter[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw) => {
    const p = resolve(doc, raw, new Set());
    const name = p ? str(p.name) : null;
    if (!p || !name) return [];
    return [
      {
        name,
        in: str(p.in) ?? 'query',
        required: p.required === true || p.in === 'path',
        description: str(p.description),
        schema: schemaView(doc, p.schema),
      },
    ];
  });
}

function firstContent(doc: Json, content: unknown): { contentType: string; schema: SchemaView | null } | null {
  if (!isObject(content)) return null;
  const entries = Object.entries(content);
  const chosen = entries.find(([type]) => type.includes('json')) ?? entries[0];
  if (!chosen) return null;
  const media = isObject(chosen[1]) ? chosen[1] : {};
  return { contentType: chosen[0], schema: schemaView(doc, media.schema) };
}

/** Reads a document into the reference's shape; never throws on a partial or odd document. */
export function readApiReference(doc: Record<string, unknown> | null | undefined): ApiReference {
  if (!doc) return { title: null, version: null, description: null, operations: [] };
  const info = isObject(doc.info) ? doc.info : {};
  const operations: RefOperation[] = [];
  for (const [path, rawItem] of Object.entries(isObject(doc.paths) ? doc.paths : {})) {
    const item = resolve(doc, rawItem, new Set());
    if (!item) continue;
    const shared = parameters(doc, item.parameters);
    for (const method of HTTP_METHODS) {
      const op = resolve(doc, item[method], new Set());
      if (!op) continue;
      const own = parameters(doc, op.parameters);
      const merged = [...shared.filter((p) => !own.some((o) => o.name === p.name && o.in === p.in)), ...own];
      const body = resolve(doc, op.requestBody, new Set());
      const bodyContent = body ? firstContent(doc, body.content) : null;
      const responses = Object.entries(isObject(op.responses) ? op.responses : {}).map(([status, rawRes]) => {
        const res = resolve(doc, rawRes, new Set());
        return {
          status,
          description: res ? str(res.description) : null,
          schema: res ? (firstContent(doc, res.content)?.schema ?? null) : null,
        };
      });
      operations.push({
        id: `${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root'}`,
        method: method.toUpperCase(),
        path,
        summary: str(op.summary),
        description: str(op.description),
        parameters: merged,
        requestBody: bodyContent ? { required: body?.required === true, ...bodyContent } : null,
        responses,
      });
    }
  }
  return { title: str(info.title), version: str(info.version), description: str(info.description), operations };
}

/** A JSON example body built from a schema (example values first, else a placeholder per type), for the try-it panel. */
export function exampleFromSchema(schema: SchemaView | null, depth = 0): unknown {
  if (!schema || depth > MAX_DEPTH) return null;
  if (schema.example !== null) {
    try {
      return JSON.parse(schema.example);
    } catch {
      return schema.example;
    }
  }
  if (schema.enum?.length) return schema.enum[0];
  if (schema.properties.length) return Object.fromEntries(schema.properties.map((p) => [p.name, exampleFromSchema(p.schema, depth + 1)]));
  if (schema.items) return [exampleFromSchema(schema.items, depth + 1)];
  if (/integer|number/.test(schema.type)) return 0;
  if (/boolean/.test(schema.type)) return false;
  if (/string/.test(schema.type)) return 'string';
  return null;
}

/** The path with example values for its path parameters and required query parameters ("/forecast?city=lisbon"). */
export function examplePath(op: RefOperation): string {
  const value = (p: RefParameter) => String(exampleFromSchema(p.schema) ?? p.name);
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === 'path')) path = path.replace(`{${p.name}}`, encodeURIComponent(value(p)));
  const query = op.parameters.filter((x) => x.in === 'query' && x.required);
  if (!query.length) return path;
  return `${path}?${query.map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(value(p))}`).join('&')}`;
}
