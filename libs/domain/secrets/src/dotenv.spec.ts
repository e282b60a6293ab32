import { describe, expect, it } from 'vitest';
import { parseDotenv } from './dotenv';

const values = (text: string) => Object.fromEntries(parseDotenv(text).entries.map((e) => [e.key, e.value]));

describe('parseDotenv', () => {
  it('reads KEY=value lines, skipping blanks and comments, with line numbers', () => {
    const result = parseDotenv('# database\n\nDATABASE_URL=postgres://db/app\n   # indented comment\nPORT=3000\n');
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.entries).toEqual([
      { key: 'DATABASE_URL', value: 'postgres://db/app', line: 3 },
      { key: 'PORT', value: '3000', line: 5 },
    ]);
  });

  it('accepts an export prefix and whitespace around the key and value', () => {
    expect(values('export A=1\n  B = two  \nexport\tC=3\n\tD=\t4\t')).toEqual({
      A: '1',
      B: 'two',
      C: '3',
      D: '4',
    });
  });

  it('keeps a variable literally named export', () => {
    expect(values('export=yes')).toEqual({ export: 'yes' });
  });

  it('handles CRLF and a byte-order mark', () => {
    expect(parseDotenv('\uFEFFA=1\r\nB=2\r\n').entries).toEqual([
      { key: 'A', value: '1', line: 1 },
      { key: 'B', value: '2', line: 2 },
    ]);
  });

  it('allows empty values', () => {
    expect(values('EMPTY=\nEMPTY_Q=""\nEMPTY_S=\'\'\nSPACES=   ')).toEqual({
      EMPTY: '',
      EMPTY_Q: '',
      EMPTY_S: '',
      SPACES: '',
    });
  });

  it('keeps everything after the first = in unquoted values', () => {
    expect(values('URL=https://x.test/?a=1&b=2\nB64=YWJj==')).toEqual({
      URL: 'https://x.test/?a=1&b=2',
      B64: 'YWJj==',
    });
  });

  it('strips inline comments that follow whitespace, but keeps # inside a value', () => {
    expect(values('A=value # a comment\nB=a#b\nC=#notcomment\nD= # only a comment\nE=x\t# tab comment')).toEqual({
      A: 'value',
      B: 'a#b',
      C: '#notcomment',
      D: '',
      E: 'x',
    });
  });

  it('treats single quotes literally', () => {
    expect(values("A='  spaced # not a comment \\n $HOME '\nB='say \"hi\"'")).toEqual({
      A: '  spaced # not a comment \\n $HOME ',
      B: 'say "hi"',
    });
  });

  it('understands escapes in double quotes', () => {
    expect(values('A="line1\\nline2"\nB="a \\"quoted\\" word"\nC="back\\\\slash"\nD="tab\\there"\nE="keep \\x as is"')).toEqual({
      A: 'line1\nline2',
      B: 'a "quoted" word',
      C: 'back\\slash',
      D: 'tab\there',
      E: 'keep \\x as is',
    });
  });

  it('allows a comment after a closing quote', () => {
    expect(values('A="x # inside" # outside\nB=\'y\'   # c')).toEqual({
      A: 'x # inside',
      B: 'y',
    });
  });

  it('reads multi-line quoted values and keeps counting lines', () => {
    const pem = '-----BEGIN KEY-----\nMIIB\n-----END KEY-----';
    const result = parseDotenv(`A=1\nPEM="${pem}"\nB=2\nS='one\n  two'\nC=3`);
    expect(result.errors).toEqual([]);
    expect(result.entries).toEqual([
      { key: 'A', value: '1', line: 1 },
      { key: 'PEM', value: pem, line: 2 },
      { key: 'B', value: '2', line: 5 },
      { key: 'S', value: 'one\n  two', line: 6 },
      { key: 'C', value: '3', line: 8 },
    ]);
  });

  it('does not mistake a = inside a multi-line value for a new variable', () => {
    const result = parseDotenv('JSON="{\n  \\"a\\": 1,\n  NOT_A_KEY=2\n}"\nNEXT=ok');
    expect(result.entries.map((e) => e.key)).toEqual(['JSON', 'NEXT']);
    expect(result.entries[0]?.value).toBe('{\n  "a": 1,\n  NOT_A_KEY=2\n}');
  });

  it('lets the last assignment win and warns about the duplicate', () => {
    const result = parseDotenv('A=1\nB=2\nA=3');
    expect(result.errors).toEqual([]);
    expect(result.entries).toEqual([
      { key: 'B', value: '2', line: 2 },
      { key: 'A', value: '3', line: 3 },
    ]);
    expect(result.warnings).toEqual([
      {
        line: 3,
        message: 'A is also set on line 1; the value on line 3 wins.',
      },
    ]);
  });

  it('reports every bad line with its number', () => {
    const result = parseDotenv(
      ['GOOD=1', 'no equals sign', '1BAD=x', 'has-dash=x', '=value', 'MY KEY=x', 'ALSO_GOOD=2', 'Q="x" trailing'].join('\n'),
    );
    expect(result.entries.map((e) => e.key)).toEqual(['GOOD', 'ALSO_GOOD']);
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 8]);
    expect(result.errors[0]?.message).toBe('Expected KEY=value.');
    expect(result.errors[1]?.message).toMatch(/^"1BAD" is not a valid name: Use letters, digits and underscores/);
    expect(result.errors[3]?.message).toMatch(/name is missing/);
    expect(result.errors[5]?.message).toMatch(/after the closing quote/);
  });

  it('rejects names longer than the contract allows', () => {
    expect(parseDotenv(`${'A'.repeat(257)}=x`).errors).toHaveLength(1);
    expect(parseDotenv(`${'A'.repeat(256)}=x`).errors).toHaveLength(0);
  });

  it('reports an unclosed quote at the line it opens', () => {
    const result = parseDotenv('A=1\nB="never closed\nC=3\nD=4');
    expect(result.entries.map((e) => e.key)).toEqual(['A']);
    expect(result.errors).toEqual([
      {
        line: 2,
        message: 'The double-quoted value that starts here is never closed.',
      },
    ]);
    expect(parseDotenv("X='open").errors[0]?.message).toMatch(/single-quoted/);
  });

  it('returns nothing for an empty document', () => {
    expect(parseDotenv('')).toEqual({ entries: [], errors: [], warnings: [] });
    expect(parseDotenv('\n\n# only comments\n')).toEqual({
      entries: [],
      errors: [],
      warnings: [],
    });
  });
});
