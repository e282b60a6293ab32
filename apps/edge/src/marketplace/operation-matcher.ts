/** A method + path pattern, as in a listing's billable operations and a plan's allowed operations. */
export interface OperationPattern {
  method: string;
  path: string;
}

/** Finds the first pattern a call matches (method, path without query), in the order given. */
export type OperationMatcher<T extends OperationPattern> = (method: string, path: string) => T | undefined;

/**
 * `/forecast` matches itself; `*` matches one path segment; `**` matches the rest of the path
 * (any number of segments, none included: `/v1/**` matches `/v1`, `/v1/` and `/v1/a/b`).
 * Everything else is literal. A trailing slash is significant except before `**`.
 */
export function patternToRegExp(path: string): RegExp {
  let source = '';
  const parts = path.split('/').slice(1);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (part === '**' && i === parts.length - 1) {
      source += '(?:/.*)?';
      break;
    }
    source += '/' + (part === '*' ? '[^/]+' : part.split('*').map(escape).join('[^/]*'));
  }
  return new RegExp(`^${source}$`);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Compile once (per route table or subscription record), match per call. */
export function compileOperations<T extends OperationPattern>(patterns: readonly T[]): OperationMatcher<T> {
  const compiled = patterns.map((p) => ({ pattern: p, method: p.method.toUpperCase(), re: patternToRegExp(p.path) }));
  return (method, path) => {
    const m = method.toUpperCase();
    for (const c of compiled) {
      if ((c.method === '*' || c.method === m) && c.re.test(path)) return c.pattern;
    }
    return undefined;
  };
}

/** The path of a request target without its query string. */
export function pathOf(url: string | undefined): string {
  const raw = url ?? '/';
  const q = raw.indexOf('?');
  return q >= 0 ? raw.slice(0, q) : raw;
}
