import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { allowedKeysAt, unknownKeyMessage } from '@slipway/contracts';
import { SLIPWAY_KEYS, SLIPWAY_YAML, slipwayConfigSchema, type SlipwayConfig } from './slipway-yaml.schema';

export interface SlipwayYamlError {
  /** 1-based line of the offending key or value (of the file's first line for a whole-file problem). */
  line: number;
  /** 1-based column, when known. */
  column?: number;
  /** Dotted path of the setting (`run.port`, `capabilities.add.1`); empty for a YAML syntax error. */
  path: string;
  message: string;
}

export type SlipwayYamlResult = { ok: true; config: SlipwayConfig } | { ok: false; errors: SlipwayYamlError[] };

/** A config file has no business being large; this bounds parsing work on hostile input. */
export const SLIPWAY_YAML_MAX_BYTES = 64 * 1024;

/**
 * Parses and validates `slipway.yaml`. Every problem is reported with the line of the key
 * (or list item) it concerns, so a failed build can say "slipway.yaml line 4: run.port: …".
 * An empty file, or one with only comments, is the empty config.
 */
export function parseSlipwayYaml(text: string): SlipwayYamlResult {
  if (Buffer.byteLength(text, 'utf8') > SLIPWAY_YAML_MAX_BYTES) {
    return { ok: false, errors: [{ line: 1, path: '', message: `${SLIPWAY_YAML} is larger than ${SLIPWAY_YAML_MAX_BYTES / 1024} KiB.` }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({ ...position(lineCounter, e.pos[0]), path: '', message: syntaxMessage(e.code, e.message) })),
    };
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return { ok: true, config: {} };
  if (!isMap(doc.contents)) {
    const at = doc.contents.range ? position(lineCounter, doc.contents.range[0]) : { line: 1 };
    return {
      ok: false,
      errors: [{ ...at, path: '', message: `${SLIPWAY_YAML} must be a mapping of settings (build:, run:, healthCheck:, …).` }],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch {
    // yaml throws when aliases expand too much (a "billion laughs" file).
    return { ok: false, errors: [{ line: 1, path: '', message: 'Too many alias (*name) expansions; write the settings out.' }] };
  }
  const parsed = slipwayConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, config: parsed.data };
  const errors = parsed.error.issues.flatMap((issue) => toErrors(issue, doc, lineCounter));
  errors.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return { ok: false, errors };
}

/** One line per problem, for a build log or a failure reason: `slipway.yaml line 4: run.port: …`. */
export function formatSlipwayYamlErrors(errors: readonly SlipwayYamlError[]): string[] {
  return errors.map((e) => `${SLIPWAY_YAML} line ${e.line}: ${e.path ? `${e.path}: ` : ''}${e.message}`);
}

function toErrors(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter): SlipwayYamlError[] {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      ...locate(doc, lines, [...path, key]),
      path: [...path, key].join('.'),
      message: unknownKeyMessage(path.join('.'), key, allowedKeysAt(SLIPWAY_KEYS, path)),
    }));
  }
  return [{ ...locate(doc, lines, path), path: path.join('.'), message: issue.message }];
}

/**
 * Walks the YAML tree along a validation path and returns the position of the deepest key
 * (or list item) found: the line a user should look at.
 */
function locate(doc: Document, lines: LineCounter, path: readonly string[]): { line: number; column?: number } {
  let node: unknown = doc.contents;
  let at = { line: 1 } as { line: number; column?: number };
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      const key = pair.key as Node;
      if (key.range) at = position(lines, key.range[0]);
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      if (item.range) at = position(lines, item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return at;
}

function position(lines: LineCounter, offset: number): { line: number; column: number } {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
}

/** yaml's own messages are precise but terse; the common ones get a hint. */
function syntaxMessage(code: string, message: string): string {
  const stripped = message.replace(/ at line \d+, column \d+.*$/s, '').trim();
  const text = /[.!?]$/.test(stripped) ? stripped : `${stripped}.`;
  switch (code) {
    case 'TAB_AS_INDENT':
      return `${text} Indent with spaces, not tabs.`;
    case 'DUPLICATE_KEY':
      return `${text} Each key may appear only once.`;
    case 'MULTIPLE_DOCS':
      return `${SLIPWAY_YAML} must hold one YAML document (remove the extra ---).`;
    default:
      return text;
  }
}
