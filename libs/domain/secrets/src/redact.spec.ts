import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import { REDACTED, WITHHELD, createRedactor, withholdAll } from './redact';

const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('createRedactor', () => {
  it('replaces every occurrence of each secret value', () => {
    const redact = createRedactor(['hunter22', 's3cr3t-token']);
    expect(redact('login hunter22 then hunter22 with s3cr3t-token')).toBe('login [redacted] then [redacted] with [redacted]');
  });

  it('leaves lines without secrets, and everything when there are no secrets, unchanged', () => {
    expect(createRedactor(['hunter22'])('Step 1/5 : FROM node')).toBe('Step 1/5 : FROM node');
    expect(createRedactor([])('hunter22')).toBe('hunter22');
  });

  it('ignores values shorter than 4 characters', () => {
    const redact = createRedactor(['1', 'on', 'abc', '', '   ', 'abcd']);
    expect(redact('abc on 1 abcd')).toBe('abc on 1 [redacted]');
  });

  it('redacts the longest value first, so a secret containing another goes whole', () => {
    const redact = createRedactor(['pass', 'password123']);
    expect(redact('password123 pass')).toBe('[redacted] [redacted]');
  });

  it('treats regular-expression characters literally', () => {
    const redact = createRedactor(['a.b*c', '$(x)', '[x]+?', 'back\\slash']);
    expect(redact('aXbbc a.b*c $(x) [x]+? back\\slash')).toBe('aXbbc [redacted] [redacted] [redacted] [redacted]');
  });

  it('catches the base64 and URL-encoded forms', () => {
    const secret = 'p@ss/w0rd?';
    const redact = createRedactor([secret]);
    expect(redact(`Authorization: Basic ${b64(secret)}`)).toBe('Authorization: Basic [redacted]');
    expect(redact(`inside:${b64(secret).replace(/=+$/, '')}.jwt`)).toBe('inside:[redacted].jwt');
    expect(redact(`base64url ${b64(secret).replaceAll('/', '_').replaceAll('+', '-').replace(/=+$/, '')}`)).toBe('base64url [redacted]');
    expect(redact(`postgres://app:${encodeURIComponent(secret)}@db/app`)).toBe('postgres://app:[redacted]@db/app');
  });

  it('catches the base64 of a value inside a longer encoded string (a Basic header of user:password), at every byte offset', () => {
    const secret = 'correct-horse-battery';
    const redact = createRedactor([secret]);
    for (const prefix of ['u:', 'us:', 'use:', 'user:']) {
      const line = `Authorization: Basic ${b64(`${prefix}${secret}`)}`;
      const shown = redact(line);
      expect(shown, prefix).toContain(REDACTED);
      // What is left of the header decodes to nothing of the secret.
      const rest = shown.replace('Authorization: Basic ', '').split(REDACTED).join('');
      expect(Buffer.from(rest, 'base64').toString('latin1')).not.toContain(secret.slice(0, 6));
    }
  });

  it('catches the percent-encoded forms (encodeURIComponent, encodeURI, + for space)', () => {
    const secret = 'p@ss w0rd/é?&';
    const redact = createRedactor([secret]);
    expect(redact(`db=${encodeURIComponent(secret)}`)).toBe(`db=${REDACTED}`);
    expect(redact(`url=${encodeURI(secret)}`)).toBe(`url=${REDACTED}`);
    expect(redact(`q=${encodeURIComponent(secret).replaceAll('%20', '+')}`)).toBe(`q=${REDACTED}`);
  });

  it('catches the JSON-escaped form and the form console.log prints', () => {
    const secret = 'quote"back\\slash\'it';
    const redact = createRedactor([secret]);
    expect(redact(JSON.stringify({ SECRET: secret }))).toBe(`{"SECRET":"${REDACTED}"}`);
    expect(redact(inspect({ SECRET: secret }))).not.toContain('back');
    const multiLine = 'line-one-of-it\nline-two-of-it';
    expect(createRedactor([multiLine])(JSON.stringify(multiLine))).toBe(`"${REDACTED}"`);
  });

  it('catches the hex form, lower and upper case', () => {
    const secret = 'sk-live-123456';
    const hex = Buffer.from(secret).toString('hex');
    const redact = createRedactor([secret]);
    expect(redact(`dump ${hex} and ${hex.toUpperCase()}`)).toBe(`dump ${REDACTED} and ${REDACTED}`);
  });

  it('withholds everything when the values to redact are unknown (fail closed)', () => {
    expect(withholdAll('SECRET=hunter22')).toBe(WITHHELD);
    expect(WITHHELD).not.toContain('hunter22');
  });

  it('redacts each line of a multi-line secret', () => {
    const pem = '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\nhkiG9w0BAQEFAASC\n-----END KEY-----';
    const redact = createRedactor([pem]);
    expect(redact('key: MIIEvQIBADANBgkq')).toBe('key: [redacted]');
    expect(redact('hkiG9w0BAQEFAASC')).toBe('[redacted]');
  });

  it('handles many secrets over many lines quickly', () => {
    const secrets = Array.from({ length: 500 }, (_, i) => `secret-value-${i}-${'x'.repeat(i % 20)}`);
    const redact = createRedactor(secrets);
    const lines = Array.from(
      { length: 20_000 },
      (_, i) => `#${i} step output ${i % 100 === 0 ? secrets[i % 500] : 'nothing to see here'} done`,
    );
    const started = performance.now();
    const out = lines.map(redact);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(out[0]).toBe('#0 step output [redacted] done');
    expect(out[1]).toBe('#1 step output nothing to see here done');
  });
});
