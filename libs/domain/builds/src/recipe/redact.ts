export const REDACTED = '[redacted]';

/** Values shorter than this are not redacted: replacing `on` or `1` everywhere would wreck the log and hide nothing. */
export const MIN_SECRET_LENGTH = 4;

export type Redactor = (line: string) => string;

/**
 * Returns a function that replaces every known secret value in a line with `[redacted]`.
 * Besides each value as written it catches the forms a build tends to print: its base64
 * (standard with and without padding, as in an Authorization header, and URL-safe), its URL-encoded
 * form (a password in a connection string), and each line of a multi-line value (a PEM key).
 * Longer values are tried first, so a secret containing another is redacted whole.
 *
 * One RegExp with escaped alternatives is built once; each line costs one `replace`.
 * Limitation: base64 is matched only as a whole encoding of the value; a value encoded as part
 * of a longer string (`user:password`) starts mid-block and is not recognized.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const needles = new Set<string>();
  const add = (value: string) => {
    if (value.length >= MIN_SECRET_LENGTH) needles.add(value);
  };
  for (const secret of secrets) {
    for (const value of secret.includes('\n') ? [secret, ...secret.split(/\r?\n/)] : [secret]) {
      const trimmed = value.trim();
      if (trimmed.length < MIN_SECRET_LENGTH) continue;
      add(value);
      add(trimmed);
      const padded = Buffer.from(trimmed, 'utf8').toString('base64');
      const base64 = padded.replace(/=+$/, '');
      add(padded);
      add(base64);
      add(base64.replaceAll('+', '-').replaceAll('/', '_'));
      add(encodeURIComponent(trimmed));
    }
  }
  if (needles.size === 0) return (line) => line;
  const alternatives = [...needles].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const pattern = new RegExp(alternatives.join('|'), 'g');
  return (line) => line.replace(pattern, REDACTED);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
