import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible upstream for attack and isolation tests, behaving by the first path
 * segment of the provider's base URL (`http://127.0.0.1:<port>/<behaviour>`):
 * - `fast`: a chat completion at once; `slow`: the same after `slowMs`;
 * - `redirect`: 302 to `redirectTo`;
 * - `huge`: a 200 whose JSON body never ends (up to `hugeBytes`);
 * - `endless-event`: a 200 event stream whose first line never ends (up to `hugeBytes`).
 * It counts every TCP connection it accepts, so a test can assert nothing reached it.
 */
export interface TestUpstream {
  url: string;
  port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** `<method> <path>` of each request received. */
  readonly requests: string[];
  /** Bytes of the `huge`/`endless-event` bodies written before the client hung up. */
  readonly hugeBytesSent: number;
  redirectTo: string;
  slowMs: number;
  close(): Promise<void>;
}

const COMPLETION = {
  id: 'chatcmpl-test-upstream',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'test-model',
  choices: [{ index: 0, message: { role: 'assistant', content: 'answered by the test upstream' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
};

export async function createTestUpstream(options: { port?: number; hugeBytes?: number } = {}): Promise<TestUpstream> {
  const hugeBytes = options.hugeBytes ?? 64 * 1024 * 1024;
  const requests: string[] = [];
  let connections = 0;
  let hugeBytesSent = 0;
  const upstream = { redirectTo: 'http://127.0.0.1:9/', slowMs: 3_000 };

  const answer = (res: ServerResponse, body: unknown) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  /** Writes `prefix` then filler until `hugeBytes` or the client leaves, honouring back-pressure. */
  const endless = (res: ServerResponse, contentType: string, prefix: string) => {
    res.writeHead(200, { 'content-type': contentType });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = () => {
      while (sent < hugeBytes && !res.destroyed) {
        sent += chunk.length;
        hugeBytesSent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.write(prefix);
    pump();
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    req.resume();
    req.once('end', () => {
      const behaviour = (req.url ?? '/').split('/')[1];
      if (behaviour === 'redirect') return res.writeHead(302, { location: upstream.redirectTo, 'content-type': 'text/plain' }).end('moved');
      if (behaviour === 'huge') return endless(res, 'application/json', '{"id":"x","object":"chat.completion","pad":"');
      if (behaviour === 'endless-event') return endless(res, 'text/event-stream', 'data: {"pad":"');
      if (behaviour === 'slow') return void setTimeout(() => answer(res, COMPLETION), upstream.slowMs);
      answer(res, COMPLETION);
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    get connections() {
      return connections;
    },
    get hugeBytesSent() {
      return hugeBytesSent;
    },
    get redirectTo() {
      return upstream.redirectTo;
    },
    set redirectTo(url: string) {
      upstream.redirectTo = url;
    },
    get slowMs() {
      return upstream.slowMs;
    },
    set slowMs(ms: number) {
      upstream.slowMs = ms;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
