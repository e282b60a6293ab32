import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import protobuf from 'protobufjs';

/**
 * An OTLP/HTTP receiver for tests, on 127.0.0.1: takes `/v1/metrics`, `/v1/traces` and
 * `/v1/logs` as JSON or protobuf and keeps every request decoded to OTLP's JSON shape (protobuf
 * with the official opentelemetry-proto definitions, vendored in `libs/testing/opentelemetry-proto`).
 * `answer` scripts the next responses (e.g. 503 then 200) to test delivery.
 */
export interface ReceivedOtlp {
  signal: 'metrics' | 'traces' | 'logs';
  contentType: string;
  headers: IncomingMessage['headers'];
  /** The request in OTLP's JSON shape (`resourceMetrics` / `resourceSpans` / `resourceLogs`). */
  body: Record<string, unknown>;
  /** What the receiver answered. */
  status: number;
}

export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

const REQUEST_TYPES = {
  metrics: 'opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest',
  traces: 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest',
  logs: 'opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest',
} as const;

const PROTO_ROOT = path.join(__dirname, '..', 'opentelemetry-proto');
let root: protobuf.Root | undefined;
function protoRoot(): protobuf.Root {
  if (root) return root;
  const r = new protobuf.Root();
  r.resolvePath = (_origin, target) => path.join(PROTO_ROOT, target);
  r.loadSync(['metrics', 'trace', 'logs'].map((s) => `opentelemetry/proto/collector/${s}/v1/${s}_service.proto`));
  return (root = r);
}

/** Protobuf → OTLP JSON shape: ids as hex (OTLP/JSON's rule), 64-bit numbers as strings, enums as numbers. */
export function decodeOtlpProtobuf(signal: keyof typeof REQUEST_TYPES, bytes: Uint8Array): Record<string, unknown> {
  const type = protoRoot().lookupType(REQUEST_TYPES[signal]);
  const object = type.toObject(type.decode(bytes), { longs: String, enums: Number, bytes: String, defaults: false, arrays: true });
  return hexIds(object) as Record<string, unknown>;
}

function hexIds(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => hexIds(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hexIds(v, k)]));
  if (typeof value === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return Buffer.from(value, 'base64').toString('hex');
  return value;
}

export class OtlpReceiver {
  readonly received: ReceivedOtlp[] = [];
  private readonly script: ScriptedAnswer[] = [];
  private server: Server | undefined;
  url = '';

  /** The next requests get these answers, in order (then 200). */
  answer(...answers: ScriptedAnswer[]): void {
    this.script.push(...answers);
  }

  of(signal: ReceivedOtlp['signal']): ReceivedOtlp[] {
    return this.received.filter((r) => r.signal === signal);
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const match = /^\/v1\/(metrics|traces|logs)$/.exec(req.url ?? '');
        if (req.method !== 'POST' || !match) {
          res.writeHead(404).end();
          return;
        }
        const signal = match[1] as ReceivedOtlp['signal'];
        const contentType = req.headers['content-type'] ?? '';
        const bytes = Buffer.concat(chunks);
        let body: Record<string, unknown>;
        try {
          body = contentType === 'application/x-protobuf' ? decodeOtlpProtobuf(signal, bytes) : (JSON.parse(bytes.toString('utf8')) as Record<string, unknown>);
        } catch (err) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end(`cannot decode: ${(err as Error).message}`);
          return;
        }
        const answer = this.script.shift() ?? { status: 200 };
        this.received.push({ signal, contentType, headers: req.headers, body, status: answer.status });
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body ?? '{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
