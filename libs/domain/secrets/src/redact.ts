import { inspect } from 'node:util';

export const REDACTED = '[redacted]';

/** Values shorter than this are not redacted: replacing `on` or `1` everywhere would wreck the log and hide nothing. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Base64 taken out of a longer encoded string (`user:password` in a Basic header) is matched
 * without its first and last characters, which depend on the neighbouring bytes; below this
 * length such a fragment would match ordinary text.
 */
const MIN_SHIFTED_BASE64_LENGTH = 8;

export type Redactor = (line: string) => string;

/**
 * What a log shows in place of text that could not be redacted (the secret values could not be
 * read): failing closed, never the raw text.
 */
export const WITHHELD = '[withheld: the secret values to redact could not be read, so this text is not shown]';

/** A redactor that withholds every line: for when the values to redact are unknown. */
export const withholdAll: Redactor = () => WITHHELD;

/**
 * Returns a function that replaces every known secret value in a line with `[redacted]`, one
 * redactor for the build log and the deploy log alike. Besides each value as written it catches
 * the forms an app or a build tends to print:
 * - base64 (standard with and without padding, URL-safe), also inside a longer encoded string
 *   (`Basic base64(user:password)`): the value's encoding at each of the three byte offsets,
 *   without the edge characters its neighbours decide;
 * - URL-encoded (percent-encoding, as in a connection string; `encodeURIComponent` and the
 *   `+`-for-space form of query strings);
 * - JSON-string-escaped (`JSON.stringify`) and as node prints a string (`console.log(process.env)`,
 *   `util.inspect`: quotes and newlines escaped);
 * - hex (lower and upper case);
 * - each line of a multi-line value (a PEM key).
 * Longer values are tried first, so a secret containing another is redacted whole.
 *
 * One RegExp with escaped alternatives is built once; each line costs one `replace`.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const needles = new Set<string>();
  const add = (value: string, min = MIN_SECRET_LENGTH) => {
    if (value.length >= min) needles.add(value);
  };
  for (const secret of secrets) {
    for (const value of secret.includes('\n') ? [secret, ...secret.split(/\r?\n/)] : [secret]) {
      const trimmed = value.trim();
      if (trimmed.length < MIN_SECRET_LENGTH) continue;
      add(value);
      for (const form of encodedForms(trimmed)) add(form);
      for (const fragment of base64Fragments(trimmed)) add(fragment, MIN_SHIFTED_BASE64_LENGTH);
    }
  }
  if (needles.size === 0) return (line) => line;
  const alternatives = [...needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

/** The whole-value encodings of one (trimmed) secret. */
function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const padded = bytes.toString('base64');
  const base64 = padded.replace(/=+$/, '');
  const hex = bytes.toString('hex');
  const inspected = inspect(value);
  return [
    value,
    padded,
    base64,
    toBase64Url(base64),
    encodeURIComponent(value),
    encodeURIComponent(value).replaceAll('%20', '+'),
    // encodeURI leaves `:/?#@` alone, as a URL built by concatenation would.
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
    inspected.slice(1, -1),
    hex,
    hex.toUpperCase(),
  ];
}

/**
 * The value's base64 when it starts 0, 1 or 2 bytes into a longer encoded string: only the
 * characters made of the value's bits alone (the first and last may mix in a neighbour's).
 */
function base64Fragments(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const out: string[] = [];
  for (const offset of [0, 1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const first = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const fragment = encoded.slice(first, end);
    out.push(fragment, toBase64Url(fragment));
  }
  return out;
}

const toBase64Url = (base64: string): string => base64.replaceAll('+', '-').replaceAll('/', '_');

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
