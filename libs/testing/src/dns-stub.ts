import { createSocket, type RemoteInfo } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/**
 * A DNS server over UDP that answers TXT queries from a map, for tests of custom-domain
 * verification (point DOMAIN_DNS_SERVERS at `address`). Names it has no record for answer
 * NXDOMAIN; other record types answer "no data". Loopback only; no recursion, no caching.
 */
export interface DnsStub {
  readonly port: number;
  /** `127.0.0.1:<port>`, as DOMAIN_DNS_SERVERS takes it. */
  readonly address: string;
  /** Replaces the TXT values of `name` (case-insensitive, no trailing dot). */
  setTxt(name: string, values: string[]): void;
  remove(name: string): void;
  /** How many queries it has answered. */
  readonly queries: number;
  close(): Promise<void>;
}

const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;

export async function startDnsStub(options: { port?: number; host?: string; records?: Record<string, string[]> } = {}): Promise<DnsStub> {
  const host = options.host ?? '127.0.0.1';
  const records = new Map<string, string[]>();
  const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
  for (const [name, values] of Object.entries(options.records ?? {})) records.set(key(name), values);
  let queries = 0;

  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const answer = answerQuery(msg, (name) => records.get(key(name)));
    if (!answer) return; // not even a header: nothing to answer
    queries++;
    socket.send(answer, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const port = (socket.address() as AddressInfo).port;
  return {
    port,
    address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
    setTxt: (name, values) => void records.set(key(name), values),
    remove: (name) => void records.delete(key(name)),
    get queries() {
      return queries;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** The answer to one query message (RFC 1035 §4.1), or null when the message is too short to have an id. */
export function answerQuery(msg: Buffer, txtOf: (name: string) => string[] | undefined): Buffer | null {
  if (msg.length < 12) return null;
  const id = msg.readUInt16BE(0);
  const rd = msg.readUInt16BE(2) & 0x0100;
  const question = readQuestion(msg);
  if (!question) return header(id, rd, RCODE_FORMERR, 0, 0);
  const values = txtOf(question.name);
  const questionBytes = msg.subarray(12, question.end);
  if (!values) return Buffer.concat([header(id, rd, RCODE_NXDOMAIN, 1, 0), questionBytes]);
  const answers = question.type === TYPE_TXT && question.klass === CLASS_IN ? values.map(txtRecord) : [];
  return Buffer.concat([header(id, rd, 0, 1, answers.length), questionBytes, ...answers]);
}

function header(id: number, rd: number, rcode: number, qdcount: number, ancount: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x8000 | 0x0400 | rd | 0x0080 | rcode, 2); // QR, AA, RD as asked, RA
  h.writeUInt16BE(qdcount, 4);
  h.writeUInt16BE(ancount, 6);
  return h;
}

function readQuestion(msg: Buffer): { name: string; type: number; klass: number; end: number } | null {
  if (msg.readUInt16BE(4) < 1) return null;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const len = msg[at];
    if (len === undefined || len > 63) return null; // compression is not used in questions
    at++;
    if (len === 0) break;
    if (at + len > msg.length) return null;
    labels.push(msg.toString('latin1', at, at + len));
    at += len;
  }
  if (at + 4 > msg.length) return null;
  return { name: labels.join('.'), type: msg.readUInt16BE(at), klass: msg.readUInt16BE(at + 2), end: at + 4 };
}

/** A TXT answer for the question's name (a pointer to offset 12), its value cut in strings of at most 255 bytes. */
function txtRecord(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const strings: Buffer[] = [];
  for (let i = 0; i < bytes.length || strings.length === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    strings.push(Buffer.concat([Buffer.from([part.length]), part]));
  }
  const rdata = Buffer.concat(strings);
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0);
  rr.writeUInt16BE(TYPE_TXT, 2);
  rr.writeUInt16BE(CLASS_IN, 4);
  rr.writeUInt32BE(0, 6); // TTL 0: nothing between the stub and the platform may keep an old answer
  rr.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([rr, rdata]);
}
