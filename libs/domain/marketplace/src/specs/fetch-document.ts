/** How long a document fetch from the app may take, and the most it reads. */
export interface FetchLimits {
  timeoutMs: number;
  maxBytes: number;
}

/**
 * GETs `url` (a replica on 127.0.0.1) and returns its body as text, or throws a short reason:
 * not 2xx, too large (stops reading past `maxBytes`), or too slow. Redirects are not followed:
 * the document is the app's own.
 */
export async function fetchDocument(url: string, limits: FetchLimits): Promise<string> {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(limits.timeoutMs), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' } });
  if (res.status < 200 || res.status > 299) {
    await res.body?.cancel();
    throw new Error(`GET ${new URL(url).pathname} answered ${res.status}`);
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limits.maxBytes) {
    await res.body?.cancel();
    throw new Error(`the document is ${declared} bytes, more than ${limits.maxBytes}`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body ?? []) {
    size += chunk.byteLength;
    if (size > limits.maxBytes) throw new Error(`the document is more than ${limits.maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
