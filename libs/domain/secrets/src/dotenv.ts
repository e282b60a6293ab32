import { envVarKeySchema } from '@slipway/contracts';

export interface DotenvEntry {
  key: string;
  value: string;
  /** 1-based line where the entry starts (a multi-line value spans further lines). */
  line: number;
}

export interface DotenvProblem {
  line: number;
  message: string;
}

export interface DotenvParseResult {
  /** One entry per key, in file order of its last assignment (the last assignment wins). */
  entries: DotenvEntry[];
  /** Lines that cannot be imported. Callers import nothing while any exists. */
  errors: DotenvProblem[];
  /** Importable but worth telling the user, e.g. a key assigned twice. */
  warnings: DotenvProblem[];
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
};
const TRAILER = /^[ \t]*(?:#.*)?$/;

/**
 * Parses the `.env` dialect people paste from dotenv, Docker and Heroku:
 * - blank lines and `#` comment lines; an optional `export ` prefix;
 * - `KEY=value`, with whitespace around the key and the value trimmed;
 * - unquoted values end at ` #` (a `#` preceded by whitespace starts a comment, `a#b` stays);
 * - `'single'` quotes are literal; `"double"` quotes understand `\n \r \t \" \\` and may span
 *   lines; both may be followed only by whitespace and a comment;
 * - no `${VAR}` interpolation: values are stored exactly as written.
 * Every problem is reported with its line number, never just the first.
 */
export function parseDotenv(text: string): DotenvParseResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const byKey = new Map<string, DotenvEntry>();
  const errors: DotenvProblem[] = [];
  const warnings: DotenvProblem[] = [];

  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    const raw = (lines[i] as string).replace(/^\s+/, '');
    if (raw === '' || raw.startsWith('#')) continue;

    const statement = raw.replace(/^export[ \t]+(?=\S)/, '');
    const eq = statement.indexOf('=');
    if (eq < 0) {
      errors.push({ line, message: 'Expected KEY=value.' });
      continue;
    }
    const key = statement.slice(0, eq).trim();
    const afterEq = statement.slice(eq + 1);
    const rest = afterEq.replace(/^[ \t]+/, '');

    let value: string;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      const scanned = scanQuoted(lines, i, rest, quote);
      if (!scanned.ok) {
        errors.push({ line, message: scanned.message });
        if (scanned.unterminated) break; // the rest of the file was swallowed by the open quote
        i = scanned.endLine;
        continue;
      }
      value = scanned.value;
      i = scanned.endLine;
    } else {
      // Search before stripping, so `KEY= # note` is a comment while `KEY=#value` is a value.
      const comment = afterEq.search(/\s#/);
      value = (comment >= 0 ? afterEq.slice(0, comment) : afterEq).trim();
    }

    if (key === '') {
      errors.push({ line, message: 'A variable name is missing before "=".' });
      continue;
    }
    const parsedKey = envVarKeySchema.safeParse(key);
    if (!parsedKey.success) {
      errors.push({
        line,
        message: `${JSON.stringify(key)} is not a valid name: ${parsedKey.error.issues[0]?.message ?? 'invalid.'}`,
      });
      continue;
    }
    const previous = byKey.get(key);
    if (previous) {
      warnings.push({
        line,
        message: `${key} is also set on line ${previous.line}; the value on line ${line} wins.`,
      });
      byKey.delete(key); // re-insert so the entry takes the position of its last assignment
    }
    byKey.set(key, { key, value, line });
  }

  return { entries: [...byKey.values()], errors, warnings };
}

type Scan = { ok: true; value: string; endLine: number } | { ok: false; message: string; endLine: number; unterminated: boolean };

/** Reads a quoted value that starts at `rest[0]` on line index `start`, possibly across lines. */
function scanQuoted(lines: string[], start: number, rest: string, quote: '"' | "'"): Scan {
  let out = '';
  let current = rest;
  let pos = 1;
  for (let li = start; li < lines.length; li++) {
    if (li > start) {
      current = lines[li] as string;
      pos = 0;
      out += '\n';
    }
    while (pos < current.length) {
      const c = current[pos] as string;
      if (c === quote) {
        const trailer = current.slice(pos + 1);
        if (!TRAILER.test(trailer)) {
          return {
            ok: false,
            message: `Unexpected text after the closing quote: ${JSON.stringify(trailer.trim())}.`,
            endLine: li,
            unterminated: false,
          };
        }
        return { ok: true, value: out, endLine: li };
      }
      if (c === '\\' && quote === '"' && pos + 1 < current.length) {
        const next = current[pos + 1] as string;
        out += ESCAPES[next] ?? `\\${next}`;
        pos += 2;
        continue;
      }
      out += c;
      pos++;
    }
  }
  const kind = quote === '"' ? 'double' : 'single';
  return {
    ok: false,
    message: `The ${kind}-quoted value that starts here is never closed.`,
    endLine: lines.length - 1,
    unterminated: true,
  };
}
