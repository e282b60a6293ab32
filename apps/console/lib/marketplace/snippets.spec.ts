import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlSnippet, javascriptSnippet, KEY_PLACEHOLDER, listingBaseUrl, pythonSnippet, shellQuote } from './snippets';

const base = { baseUrl: 'http://weather.api.localhost:8080/', method: 'GET', path: '/forecast?city=lisbon', apiKey: 'swk_live_abc' };

describe('snippets', () => {
  it('curl: the listing URL, the key as a bearer token, no body for GET', () => {
    expect(curlSnippet(base)).toBe(
      "curl -i 'http://weather.api.localhost:8080/forecast?city=lisbon' \\\n  -H 'Authorization: Bearer swk_live_abc'",
    );
  });

  it('uses a placeholder that is not a key when the visitor has none', () => {
    for (const s of [curlSnippet, javascriptSnippet, pythonSnippet]) {
      const text = s({ ...base, apiKey: null });
      expect(text).toContain(KEY_PLACEHOLDER);
      expect(text).not.toContain('swk_');
    }
  });

  it('curl: a body with quotes and $ reaches the server byte for byte (checked by a real shell)', () => {
    const body = `{"note":"it's $HOME \`x\`"}`;
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote(body)}`]).toString()).toBe(body);
    const text = curlSnippet({ ...base, method: 'post', path: '/alerts', body });
    expect(text).toContain("-X POST 'http://weather.api.localhost:8080/alerts'");
    expect(text).toContain(`--data ${shellQuote(body)}`);
    expect(text).toContain("-H 'Content-Type: application/json'");
  });

  it('JavaScript: a runnable fetch call whose literals parse back to the same values', () => {
    const body = '{"city":"oslo","belowC":-3}';
    const text = javascriptSnippet({ ...base, method: 'POST', path: '/alerts', body });
    // The snippet is valid JavaScript (an async module body).
    expect(() => new Function(`return (async () => { ${text} })`)).not.toThrow();
    expect(text).toContain(`body: ${JSON.stringify(body)}`);
    expect(text).toContain('"Bearer swk_live_abc"');
  });

  it('Python: requests with the right verb, headers and body', () => {
    const text = pythonSnippet({ ...base, method: 'POST', path: '/alerts', body: '{"city":"oslo"}' });
    expect(text).toContain(
      'res = requests.post("http://weather.api.localhost:8080/alerts", headers=headers, data="{\\"city\\":\\"oslo\\"}")',
    );
    expect(pythonSnippet(base)).toContain('requests.get(');
    expect(pythonSnippet({ ...base, method: 'OPTIONS' })).toContain('requests.request("OPTIONS", ');
  });

  it('listing base URL: slug under API_DOMAIN with the edge port, default ports dropped', () => {
    expect(listingBaseUrl('weather', 'api.localhost', { protocol: 'http:', port: '8080' })).toBe('http://weather.api.localhost:8080');
    expect(listingBaseUrl('weather', 'api.example.com', { protocol: 'https:', port: '' })).toBe('https://weather.api.example.com');
  });
});
