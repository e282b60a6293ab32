import { request } from 'node:http';
import type { ContainerRuntime } from '@slipway/docker';

export interface WaitHealthyOptions {
  containerId: string;
  hostPort: number;
  /** HTTP path, e.g. `/healthz`. */
  path: string;
  timeoutMs: number;
  intervalMs: number;
  /** Per-request timeout; default min(2 s, timeoutMs). */
  requestTimeoutMs?: number;
  /** How one probe is made; the default is an HTTP GET on 127.0.0.1 (tests swap it). */
  probe?: HealthProbe;
  signal?: AbortSignal;
}

/** One attempt: the HTTP status, or an error text (refused, timeout…). */
export type HealthProbe = (hostPort: number, path: string, timeoutMs: number) => Promise<{ status: number } | { error: string }>;

export type HealthResult =
  { healthy: true; elapsedMs: number } | { healthy: false; reason: string; exitCode?: number; logs: string[]; elapsedMs: number };

export type HealthChecker = (runtime: ContainerRuntime, options: WaitHealthyOptions) => Promise<HealthResult>;

const LOG_LINES = 30;

/** The failure's log when the engine would not give the container's last lines. */
export const LOGS_UNREADABLE = "(the container's last log lines could not be read from the engine)";

/** GET http://127.0.0.1:<port><path>; never throws. */
export const httpProbe: HealthProbe = (hostPort, path, timeoutMs) =>
  new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: hostPort,
        path,
        method: 'GET',
        timeout: timeoutMs,
        headers: { 'user-agent': 'slipway-health-check', connection: 'close' },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    req.end();
  });

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * Polls a new replica until it answers 2xx/3xx. Fails early when the container exits (with
 * its exit code), and at the timeout; a failure carries the container's last 30 log lines for
 * the user. The container is checked before every probe, so a crash is seen within one interval.
 */
export async function waitHealthy(runtime: ContainerRuntime, options: WaitHealthyOptions): Promise<HealthResult> {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const probe = options.probe ?? httpProbe;
  const perRequest = Math.max(100, Math.min(options.requestTimeoutMs ?? 2_000, options.timeoutMs));
  const fail = async (reason: string, exitCode?: number): Promise<HealthResult> => ({
    healthy: false,
    reason,
    ...(exitCode === undefined ? {} : { exitCode }),
    // Unreadable logs are said so, not shown as an empty log.
    logs: await runtime.tailLogs(options.containerId, LOG_LINES).catch(() => [LOGS_UNREADABLE]),
    elapsedMs: Date.now() - started,
  });

  let last = 'no answer yet';
  for (;;) {
    const info = await runtime.getContainer(options.containerId);
    if (!info) return fail('the container disappeared');
    if (info.state === 'exited' || info.state === 'dead') {
      return fail(`the container exited with code ${info.exitCode ?? 'unknown'} before passing its health check`, info.exitCode);
    }
    if (options.hostPort > 0) {
      const answer = await probe(options.hostPort, options.path, Math.min(perRequest, Math.max(100, deadline - Date.now())));
      if ('status' in answer && answer.status >= 200 && answer.status < 400) return { healthy: true, elapsedMs: Date.now() - started };
      last = 'status' in answer ? `HTTP ${answer.status}` : answer.error;
    }
    if (options.signal?.aborted) return fail('the health check was cancelled');
    if (Date.now() + options.intervalMs > deadline) {
      return fail(`GET ${options.path} did not answer 2xx/3xx within ${Math.round(options.timeoutMs / 1000)} s (last: ${last})`);
    }
    await sleep(options.intervalMs, options.signal);
  }
}
