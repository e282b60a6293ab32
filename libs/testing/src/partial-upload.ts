import { connect } from 'node:net';

export interface PartialUploadResult {
  /** The answer's status, or null when none came within `waitMs`. */
  status: number | null;
  /** The answer's head and body as received. */
  response: string;
  /** Body bytes the client had written when the answer came (or when it gave up). */
  sentBytes: number;
  /** Milliseconds from the first byte sent to the answer's status line. */
  answeredAfterMs: number | null;
}

/**
 * Announces a large POST body (`content-length: declaredBytes`), sends only `sendBytes` of it,
 * and waits up to `waitMs` for an answer without sending more: a server that answers has judged
 * the request without reading the body. A raw socket, because HTTP clients will not stop midway.
 */
export function partialUpload(options: {
  url: string;
  path: string;
  headers: Record<string, string>;
  declaredBytes: number;
  sendBytes: number;
  waitMs: number;
}): Promise<PartialUploadResult> {
  const { hostname, port } = new URL(options.url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let response = '';
    let sentBytes = 0;
    let answeredAfterMs: number | null = null;
    const started = Date.now();
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      resolve({ status: status ? Number(status[1]) : null, response, sentBytes, answeredAfterMs });
    };
    const timer = setTimeout(finish, options.waitMs);
    socket.on('data', (chunk: Buffer) => {
      if (answeredAfterMs === null) answeredAfterMs = Date.now() - started;
      response += chunk.toString('utf8');
      // The whole answer is in once its body has the declared length (gateway answers always carry one).
      const [head, body] = response.split('\r\n\r\n');
      const length = /\r\ncontent-length: (\d+)/i.exec(head ?? '');
      if (body !== undefined && length && Buffer.byteLength(body) >= Number(length[1])) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      const head = [
        `POST ${options.path} HTTP/1.1`,
        `host: ${hostname}:${port}`,
        'content-type: application/json',
        `content-length: ${options.declaredBytes}`,
      ];
      for (const [name, value] of Object.entries(options.headers)) head.push(`${name}: ${value}`);
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      const filler = Buffer.alloc(64 * 1024, 'a');
      const write = () => {
        while (sentBytes < options.sendBytes) {
          const chunk = filler.subarray(0, Math.min(filler.length, options.sendBytes - sentBytes));
          sentBytes += chunk.length;
          if (!socket.write(chunk)) return void socket.once('drain', write);
        }
      };
      write();
    });
  });
}
