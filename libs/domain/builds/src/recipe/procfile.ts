export interface ProcfileResult {
  /** The `web:` command, when there is one. */
  web?: string;
  /** Other process types, which Slipway does not run (yet): named in a warning. */
  ignored: string[];
}

/**
 * Heroku's Procfile: `<type>: <command>` lines. Only `web` is run; blank lines and `#`
 * comments are skipped; a later line of the same type wins, as on Heroku.
 */
export function parseProcfile(text: string): ProcfileResult {
  const types = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([A-Za-z0-9_-]+)\s*:\s*(.*\S)\s*$/.exec(line);
    if (match && !line.trimStart().startsWith('#')) types.set(match[1]!, match[2]!);
  }
  const web = types.get('web');
  types.delete('web');
  return { ...(web ? { web } : {}), ignored: [...types.keys()] };
}
