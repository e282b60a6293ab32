// A small closed-loop HTTP load generator on node:http with keep-alive: `concurrency` workers
// each send the next request as soon as the previous one answered. Bounded by count and time.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * @param {{ url: string, headers?: Record<string,string>, concurrency: number, durationMs: number, maxRequests: number, expectStatus?: number }} o
 * @returns {Promise<{ requests: number, errors: number, rps: number, p50: number, p90: number, p99: number }>}
 */
export async function runLoad({ url, headers = {}, concurrency, durationMs, maxRequests, expectStatus = 200 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const latencies = [];
  let sent = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + durationMs;

  const once = () =>
    new Promise((resolve) => {
      const t0 = performance.now();
      const req = http.request({ host: target.hostname, port: target.port, path: target.pathname + target.search, headers, agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode !== expectStatus) errors++;
          latencies.push(performance.now() - t0);
          resolve();
        });
      });
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });

  const worker = async () => {
    while (performance.now() < deadline && sent < maxRequests) {
      sent++;
      await once();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
  return { requests: latencies.length, errors, rps: latencies.length / elapsed, p50: pct(50), p90: pct(90), p99: pct(99) };
}
