import { spawn } from 'node:child_process';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { childProcessEnv } from '@slipway/config';

export interface GitHttpRequest {
  /** Absolute path of the bare repository. */
  repositoryPath: string;
  /** What follows `<repo>.git` in the URL: `/info/refs`, `/git-upload-pack`, `/git-receive-pack`. */
  pathSuffix: string;
  method: string;
  query: string;
  contentType?: string;
  contentEncoding?: string;
  body: Readable | null;
  remoteUser: string;
  remoteAddr: string;
  /** Most bytes a request body may carry before the request is refused. */
  maxBodyBytes: number;
  /** Extra environment for git and its hooks. */
  env?: Record<string, string>;
}

export interface GitHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: Readable;
}

export class GitBodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The push is larger than the limit of ${Math.round(limit / 1024 / 1024)} MiB.`);
  }
}

/** Paths git's smart-HTTP protocol uses; anything else (dumb HTTP, hooks, config) is refused. */
const SMART_PATHS = new Set(['/info/refs', '/git-upload-pack', '/git-receive-pack']);
export const isSmartHttpPath = (suffix: string): boolean => SMART_PATHS.has(suffix);

/**
 * Serves one smart-HTTP request with git's own `http-backend` (CGI), so the protocol is git's,
 * not a re-implementation. Resolves once the CGI headers arrive; the body streams after.
 */
export function serveGitHttp(req: GitHttpRequest): Promise<GitHttpResponse> {
  const root = req.repositoryPath.replace(/\/[^/]+$/, '');
  const repo = req.repositoryPath.slice(root.length);
  const child = spawn('git', ['http-backend'], {
    env: {
      ...childProcessEnv(),
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `${repo}${req.pathSuffix}`,
      REQUEST_METHOD: req.method,
      QUERY_STRING: req.query,
      CONTENT_TYPE: req.contentType ?? '',
      REMOTE_USER: req.remoteUser,
      REMOTE_ADDR: req.remoteAddr,
      GIT_HTTP_MAX_REQUEST_BUFFER: String(req.maxBodyBytes),
      ...(req.contentEncoding ? { HTTP_CONTENT_ENCODING: req.contentEncoding } : {}),
      ...req.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(err);
    };
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr = (stderr + c).slice(-4000)));
    child.on('error', fail);
    child.stdin.on('error', () => undefined); // git may close stdin early on a refused request

    // git answers only after the whole request body is in; waiting for it here (instead of
    // answering as soon as the CGI headers appear) lets an oversize push still get a 413.
    let bodyDone = !req.body;
    let ready: GitHttpResponse | null = null;
    const settle = () => {
      if (settled || !bodyDone || !ready) return;
      settled = true;
      resolve(ready);
    };
    if (req.body) {
      let seen = 0;
      const limiter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          seen += chunk.length;
          if (seen > req.maxBodyBytes) done(new GitBodyTooLargeError(req.maxBodyBytes));
          else done(null, chunk);
        },
      });
      limiter.on('error', fail);
      limiter.on('finish', () => {
        bodyDone = true;
        settle();
      });
      req.body.pipe(limiter).pipe(child.stdin);
    } else {
      child.stdin.end();
    }

    // CGI output: header lines, a blank line, then the body.
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      child.stdout.off('data', onData);
      const sep = head.indexOf('\r\n\r\n') === end ? 4 : 2;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const name = line.slice(0, i).trim().toLowerCase();
        const value = line.slice(i + 1).trim();
        if (name === 'status') status = Number.parseInt(value, 10) || 500;
        else headers[name] = value;
      }
      const body = new PassThrough();
      body.write(head.subarray(end + sep));
      child.stdout.pipe(body);
      ready = { status, headers, body };
      settle();
    };
    child.stdout.on('data', onData);
    child.on('close', (code) => {
      if (!settled) fail(new Error(`git http-backend exited ${code} before answering: ${stderr.trim() || 'no output'}`));
    });
  });
}
