/** Pure helpers of DockerEngine: address parsing, build-stream decoding, log demultiplexing. */
import { posix } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { BuildCancelledError, BuildFailedError } from './docker.errors';

export const LOOPBACK = '127.0.0.1';

export interface DockerAddress {
  /** Options for docker-modem; every key set, so the modem never falls back to process.env. */
  modem: { socketPath?: string; host?: string; port?: string; protocol?: 'http' | 'https' };
  /** How error messages name the engine. */
  label: string;
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** `unix:///path`, `tcp://host:port`, `http(s)://host:port`, or unset (the default socket). */
export function parseDockerHost(dockerHost: string | undefined): DockerAddress {
  if (!dockerHost)
    return { modem: { socketPath: DEFAULT_SOCKET, host: undefined, port: undefined }, label: `${DEFAULT_SOCKET} (DOCKER_HOST unset)` };
  if (dockerHost.startsWith('unix://')) {
    const socketPath = dockerHost.slice('unix://'.length) || DEFAULT_SOCKET;
    return { modem: { socketPath, host: undefined, port: undefined }, label: `${socketPath} (DOCKER_HOST=${dockerHost})` };
  }
  const m = /^(tcp|http|https):\/\/([^:/]+|\[[^\]]+\]):(\d+)\/?$/.exec(dockerHost);
  if (!m) throw new Error(`DOCKER_HOST=${dockerHost} is not supported: use unix:///path/to/docker.sock or tcp://host:port.`);
  const [, scheme, host, port] = m as unknown as [string, string, string, string];
  return {
    modem: { socketPath: undefined, host, port, protocol: scheme === 'https' || port === '2376' ? 'https' : 'http' },
    label: `DOCKER_HOST=${dockerHost}`,
  };
}

/** Connection-level failures: the engine is not there, as opposed to answering with an error. */
export function isUnreachable(err: unknown): err is NodeJS.ErrnoException {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (
    typeof code === 'string' &&
    ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EACCES', 'EPERM', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE'].includes(
      code,
    )
  );
}

/** dockerode's HTTP errors carry the status and docker's JSON `{ message }`. */
export function dockerStatus(err: unknown): number | undefined {
  const s = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof s === 'number' ? s : undefined;
}

export function dockerMessage(err: unknown): string {
  const e = err as { json?: { message?: unknown } | null; reason?: unknown; message?: unknown } | undefined;
  if (e?.json && typeof e.json.message === 'string') return e.json.message.trim();
  if (typeof e?.message === 'string') return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
  return String(err);
}

/** One message of the engine's JSON progress stream (classic builder). */
export interface BuildMessage {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

export interface BuildStreamOptions {
  /** Longer lines are cut to this many characters, the cut saying so (BUILD_LOG_LINE_MAX_CHARS). */
  maxLineChars: number;
  /**
   * The engine announced the container of a build step (` ---> Running in <id>`). A step's own
   * output can print the same text, so an id heard here is a claim to check, not a fact.
   */
  onStepContainer?: (id: string) => void;
}

const STEP_CONTAINER = /^ ---> Running in ([0-9a-f]{12,64})\r?\n?$/;
/**
 * Terminal escape sequences and other control characters (tabs aside): the engine wraps a
 * step's stderr in colour codes, tools print their own, and none of it belongs in a stored log
 * or in the `remote:` lines of a pusher's terminal.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_CODES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[@-_]|[\x00-\x08\x0b-\x1f\x7f]/g;
/** How far a cut backs off to a space, so that no word (a secret, before redaction) is cut in two. */
const CUT_BACKOFF_CHARS = 512;

/**
 * Turns the engine's build output (newline-delimited JSON, arbitrarily chunked) into text
 * lines, the error line and the image id. `stream` text is itself arbitrarily split, so
 * partial lines are held until their newline.
 *
 * Linear in the output and bounded in memory whatever a build prints: only the start of an
 * over-long line is kept (the rest is counted, then said at the cut), and each chunk is
 * scanned once, never re-scanned from the start of a pending message or line.
 */
export class BuildStreamDecoder {
  imageId?: string;
  error?: string;
  private readonly utf8 = new StringDecoder('utf8');
  /** The unfinished JSON message, in pieces. */
  private json: string[] = [];
  /** The unfinished text line (at most maxLineChars) and how many characters of it were not kept. */
  private line = '';
  private dropped = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly options: BuildStreamOptions,
  ) {}

  push(chunk: Buffer | string): void {
    const text = typeof chunk === 'string' ? chunk : this.utf8.write(chunk);
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      const piece = text.slice(start, nl);
      const raw = (this.json.length ? this.json.join('') + piece : piece).trim();
      this.json = [];
      if (raw) this.message(raw);
      start = nl + 1;
    }
    if (start < text.length) this.json.push(text.slice(start));
  }

  /** Flushes what is left (a last message without newline, a last line of text). */
  end(): void {
    const raw = (this.json.join('') + this.utf8.end()).trim();
    this.json = [];
    if (raw) this.message(raw);
    this.endLine();
  }

  private message(raw: string): void {
    let msg: BuildMessage;
    try {
      msg = JSON.parse(raw) as BuildMessage;
    } catch {
      this.text(`${raw}\n`); // not JSON: pass it on as text rather than lose it
      return;
    }
    if (msg.aux?.ID) this.imageId = msg.aux.ID;
    if (typeof msg.stream === 'string') {
      const step = STEP_CONTAINER.exec(msg.stream);
      if (step) this.options.onStepContainer?.(step[1]!);
      this.text(msg.stream);
    }
    if (typeof msg.status === 'string') {
      this.endLine();
      this.whole([msg.id, msg.status, msg.progress].filter(Boolean).join(' '));
    }
    if (msg.errorDetail?.message || msg.error) {
      this.endLine();
      this.error = cutLine((msg.errorDetail?.message ?? msg.error ?? '').trim(), 0, this.options.maxLineChars);
      this.emit(this.error);
    }
  }

  /** Text of the stream: complete lines are emitted, the last partial one is held. */
  private text(text: string): void {
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf('\n', start)) >= 0) {
      this.append(text, start, nl);
      this.endLine();
      start = nl + 1;
    }
    if (start < text.length) this.append(text, start, text.length);
  }

  private append(text: string, from: number, to: number): void {
    const take = Math.max(0, Math.min(this.options.maxLineChars - this.line.length, to - from));
    if (take) this.line += text.slice(from, from + take);
    this.dropped += to - from - take;
  }

  private endLine(): void {
    if (!this.line && !this.dropped) return;
    const line = cutLine(this.line, this.dropped, this.options.maxLineChars);
    this.line = '';
    this.dropped = 0;
    this.emit(line);
  }

  private whole(line: string): void {
    this.emit(cutLine(line, 0, this.options.maxLineChars));
  }

  private emit(line: string): void {
    const clean = line.replace(TERMINAL_CODES, '').trimEnd();
    if (clean.trim()) this.onLine(clean);
  }
}

/**
 * `line` (of which `dropped` more characters were not kept) in at most `max` characters. A cut
 * line ends with a note saying how much was cut and the setting; the cut falls after a space
 * when there is one near, so a word (a secret, redacted later) is not shown in part.
 */
export function cutLine(line: string, dropped: number, max: number, setting = 'BUILD_LOG_LINE_MAX_CHARS'): string {
  if (!dropped && line.length <= max) return line;
  const total = line.length + dropped;
  const note = (kept: number) => ` … [line cut: ${(total - kept).toLocaleString('en-US')} more characters; lines are cut at ${max.toLocaleString('en-US')} (${setting})]`;
  let kept = Math.max(0, max - note(0).length);
  // A word the cut would split started after the last space; with no space near, the word
  // started so long before the cut that backing off would not hide its start anyway.
  const space = line.lastIndexOf(' ', kept);
  if (space > 0 && space >= kept - CUT_BACKOFF_CHARS) kept = space;
  return line.slice(0, kept) + note(kept);
}

/**
 * Splits the multiplexed body of `GET /containers/{id}/logs` (8-byte headers: stream type,
 * 3 zero bytes, big-endian length) into lines, keeping the order stdout and stderr
 * arrived in. A body without valid headers (TTY container) is taken as plain text.
 */
export function demuxLogLines(body: Buffer): string[] {
  const lines: string[] = [];
  const partial: Record<number, string> = { 1: '', 2: '' };
  let offset = 0;
  while (offset + 8 <= body.length) {
    const type = body.readUInt8(offset);
    const length = body.readUInt32BE(offset + 4);
    if ((type !== 1 && type !== 2) || offset + 8 + length > body.length) break;
    const text = partial[type] + body.subarray(offset + 8, offset + 8 + length).toString('utf8');
    const parts = text.split('\n');
    partial[type] = parts.pop() ?? '';
    lines.push(...parts);
    offset += 8 + length;
  }
  if (offset === 0 && body.length > 0) {
    const plain = body.toString('utf8').split('\n');
    if (plain.at(-1) === '') plain.pop();
    return plain.map((l) => l.replace(/\r$/, ''));
  }
  for (const rest of [partial[1], partial[2]]) if (rest) lines.push(rest);
  return lines.map((l) => l.replace(/\r$/, ''));
}

/** Docker's zero time (`0001-01-01T00:00:00Z`) means "never". */
export function dockerDate(value: string | undefined): Date | undefined {
  if (!value || value.startsWith('0001-')) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** The host port bound on 127.0.0.1, from inspect's NetworkSettings.Ports. */
export function loopbackPort(ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null> | undefined): number | undefined {
  for (const bindings of Object.values(ports ?? {})) {
    const port = Number(bindings?.find((b) => b.HostIp === LOOPBACK)?.HostPort);
    if (port > 0) return port;
  }
  return undefined;
}

/** The host port bound on 127.0.0.1, from the container list's Ports (the same binding, listed). */
export function listedLoopbackPort(ports: Array<{ IP?: string; PublicPort?: number }> | undefined): number | undefined {
  return ports?.find((p) => p.IP === LOOPBACK && (p.PublicPort ?? 0) > 0)?.PublicPort;
}

/** A relative path that stays inside the context: the engine is not the only line of defence. */
export function insideContext(dockerfile: string): string {
  const normalized = posix.normalize(dockerfile.replace(/\\/g, '/'));
  if (!normalized || normalized.startsWith('/') || normalized === '..' || normalized.startsWith('../')) {
    throw new BuildFailedError(`The Dockerfile path "${dockerfile}" must be a relative path inside the repository.`);
  }
  return normalized;
}

export function cancelled(signal: AbortSignal): BuildCancelledError {
  const reason = signal.reason as { name?: string } | undefined;
  return new BuildCancelledError(reason?.name === 'TimeoutError' ? 'timeout' : 'cancelled');
}

export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);
}
