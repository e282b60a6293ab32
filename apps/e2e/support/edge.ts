import { request } from 'node:http';
import { E2E } from './env';

export const EDGE_URL = E2E.edgeUrl;

/** GET through the edge for an app host (fetch cannot set Host); bounded by a timeout. */
export function getViaEdge(host: string, path = '/', timeoutMs = 5000): Promise<{ status: number; body: string }> {
  const edge = new URL(EDGE_URL);
  return new Promise((resolve) => {
    const req = request({ host: edge.hostname, port: edge.port, path, headers: { host }, timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c)).on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ status: 0, body: String(err) }));
    req.end();
  });
}

/** A steady, bounded load (requests per second, for at most `maxMs`) until stopped; counts failures. */
export function steadyLoad(host: string, perSecond: number, maxMs: number) {
  const results = { ok: 0, failed: 0, failures: [] as string[], bodies: new Set<string>() };
  const started = Date.now();
  const timer = setInterval(() => {
    if (Date.now() - started > maxMs) return clearInterval(timer);
    void getViaEdge(host).then((r) => {
      if (r.status === 200) {
        results.ok++;
        results.bodies.add(r.body.trim());
      } else {
        results.failed++;
        if (results.failures.length < 10) results.failures.push(`${r.status} ${r.body.slice(0, 80)}`);
      }
    });
  }, 1000 / perSecond);
  return {
    results,
    async stop() {
      clearInterval(timer);
      await new Promise((r) => setTimeout(r, 500)); // let in-flight requests finish
      return results;
    },
  };
}
