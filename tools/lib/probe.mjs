// "Does something answer there?" checks with Node built-ins only: each speaks just enough
// of the protocol to tell a real PostgreSQL / Redis / Docker engine from a closed port.
import http from 'node:http';
import net from 'node:net';

/**
 * Opens a TCP connection, writes `payload` and resolves the first bytes received (or null
 * on refusal, close or timeout).
 */
function exchange(host, port, payload, timeoutMs) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (value) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(null));
    socket.once('error', () => done(null));
    socket.once('connect', () => socket.write(payload));
    socket.once('data', (data) => done(data));
    socket.once('close', () => done(null));
  });
}

/** PostgreSQL answers an SSLRequest with one byte, 'S' or 'N'. */
export async function postgresAnswers(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  const sslRequest = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);
  const reply = await exchange(hostname || '127.0.0.1', Number(port || 5432), sslRequest, timeoutMs);
  return reply !== null && (reply[0] === 0x53 || reply[0] === 0x4e);
}

/** Redis answers PING with +PONG, or with -NOAUTH when a password is set (still a Redis). */
export async function redisAnswers(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  const reply = await exchange(hostname || '127.0.0.1', Number(port || 6379), 'PING\r\n', timeoutMs);
  const text = reply?.toString('latin1') ?? '';
  return text.startsWith('+PONG') || text.startsWith('-NOAUTH');
}

/** True when Redis answers PING without a password (a server started before passwords were set). */
export async function redisWithoutPassword(url, timeoutMs = 1500) {
  const { hostname, port } = new URL(url);
  const reply = await exchange(hostname || '127.0.0.1', Number(port || 6379), 'PING\r\n', timeoutMs);
  return reply?.toString('latin1').startsWith('+PONG') ?? false;
}

/**
 * Where the Docker engine should be: DOCKER_HOST (unix:// or tcp://) or the default socket.
 * @returns {{ socketPath?: string, host?: string, port?: number }}
 */
export function dockerEndpoint(dockerHost = process.env.DOCKER_HOST) {
  if (!dockerHost) return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/** The engine answers GET /_ping with 200 "OK". */
export function dockerAnswers(endpoint = dockerEndpoint(), timeoutMs = 1500) {
  return new Promise((resolve) => {
    const req = http.get({ ...endpoint, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Polls `check` until it resolves true or `timeoutMs` passes. */
export async function waitUntil(check, { timeoutMs, intervalMs = 250 }) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** True when the URL's host is this machine, i.e. a server we could start ourselves. */
export const isLocalHost = (hostname) => ['127.0.0.1', 'localhost', '::1', '[::1]', ''].includes(hostname);
