/**
 * Code snippets of a listing page: the same call in curl, JavaScript (fetch) and Python
 * (requests), filled with the consumer's key when there is one, else a placeholder that cannot
 * be mistaken for a key. Every value is quoted for its language, so a path or body with quotes,
 * `$` or newlines stays one literal. Pure: unit-tested.
 */
export const KEY_PLACEHOLDER = 'YOUR_API_KEY';

export interface SnippetCall {
  /** The listing's base URL at the edge, e.g. http://weather.api.localhost:8080. */
  baseUrl: string;
  method: string;
  /** Path with its query, starting with `/`. */
  path: string;
  /** A consumer key (`swk_live_…`/`swk_test_…`) or null for the placeholder. */
  apiKey: string | null;
  /** A JSON body as typed (sent as is), or empty for none. */
  body?: string;
}

export type SnippetLanguage = 'curl' | 'javascript' | 'python';
export const SNIPPET_LANGUAGES: readonly { value: SnippetLanguage; label: string }[] = [
  { value: 'curl', label: 'curl' },
  { value: 'javascript', label: 'JavaScript' },
  { value: 'python', label: 'Python' },
];

/** The URL a snippet calls: base without trailing slash + a path that starts with one. */
export function callUrl(baseUrl: string, path: string): string {
  return `${baseUrl.replace(/\/+$/, '')}${path.startsWith('/') ? path : `/${path}`}`;
}

/** POSIX shell single-quoting: the only character to escape inside '…' is ' itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A JSON string literal is a valid JavaScript and Python string literal (\", \\, \n, \uXXXX). */
const literal = (value: string): string => JSON.stringify(value);

const hasBody = (call: SnippetCall): boolean =>
  Boolean(call.body && call.body.trim()) && !['GET', 'HEAD'].includes(call.method.toUpperCase());

export function curlSnippet(call: SnippetCall): string {
  const method = call.method.toUpperCase();
  const lines = [`curl -i${method === 'GET' ? '' : ` -X ${method}`} ${shellQuote(callUrl(call.baseUrl, call.path))}`];
  lines.push(`  -H ${shellQuote(`Authorization: Bearer ${call.apiKey ?? KEY_PLACEHOLDER}`)}`);
  if (hasBody(call)) {
    lines.push(`  -H 'Content-Type: application/json'`);
    lines.push(`  --data ${shellQuote(call.body!)}`);
  }
  return lines.join(' \\\n');
}

export function javascriptSnippet(call: SnippetCall): string {
  const method = call.method.toUpperCase();
  const headers = [`    Authorization: ${literal(`Bearer ${call.apiKey ?? KEY_PLACEHOLDER}`)},`];
  if (hasBody(call)) headers.push(`    'Content-Type': 'application/json',`);
  const options = [`  method: ${literal(method)},`, `  headers: {`, ...headers, `  },`];
  if (hasBody(call)) options.push(`  body: ${literal(call.body!)},`);
  return [
    `const res = await fetch(${literal(callUrl(call.baseUrl, call.path))}, {`,
    ...options,
    `});`,
    `console.log(res.status, res.headers.get('ratelimit'), await res.text());`,
  ].join('\n');
}

export function pythonSnippet(call: SnippetCall): string {
  const method = call.method.toLowerCase();
  const headers = [`    "Authorization": ${literal(`Bearer ${call.apiKey ?? KEY_PLACEHOLDER}`)},`];
  if (hasBody(call)) headers.push(`    "Content-Type": "application/json",`);
  const args = [literal(callUrl(call.baseUrl, call.path)), 'headers=headers'];
  if (hasBody(call)) args.push(`data=${literal(call.body!)}`);
  const known = ['get', 'post', 'put', 'patch', 'delete'].includes(method);
  const callLine = known
    ? `res = requests.${method}(${args.join(', ')})`
    : `res = requests.request(${literal(method.toUpperCase())}, ${args.join(', ')})`;
  return [
    'import requests',
    '',
    'headers = {',
    ...headers,
    '}',
    callLine,
    'print(res.status_code, res.headers.get("RateLimit"), res.text)',
  ].join('\n');
}

export function snippet(language: SnippetLanguage, call: SnippetCall): string {
  if (language === 'curl') return curlSnippet(call);
  if (language === 'javascript') return javascriptSnippet(call);
  return pythonSnippet(call);
}

/** The listing's address at the edge: `<scheme>://<slug>.<API_DOMAIN>[:port]` (docs/marketplace.md). */
export function listingBaseUrl(slug: string, apiDomain: string, edgeOrigin: { protocol: string; port: string }): string {
  const port = edgeOrigin.port && !['80', '443'].includes(edgeOrigin.port) ? `:${edgeOrigin.port}` : '';
  return `${edgeOrigin.protocol.replace(/:$/, '')}://${slug}.${apiDomain}${port}`;
}
