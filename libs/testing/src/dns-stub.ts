import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, type AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';

/**
 * A DNS server on loopback (UDP) whose answers a test sets and changes at will: the attacker's
 * name server in DNS-rebinding tests (GATEWAY_UPSTREAM_DNS) and the domain owner's in
 * custom-domain verification tests (DOMAIN_DNS_SERVERS). A, AAAA and TXT; every answer has
 * TTL 0, so nothing between the stub and the platform keeps an old one; names it knows nothing
 * of are NXDOMAIN, other record types of a known name "no data". No recursion, no caching.
 */
export interface DnsStub {
  readonly port: number;
  /** `127.0.0.1:<port>`, as GATEWAY_UPSTREAM_DNS and DOMAIN_DNS_SERVERS take it. */
  readonly address: string;
  /** Sets the addresses a name resolves to from now on (IPv4 → A, IPv6 → AAAA). */
  set(name: string, addresses: string[]): void;
  /** Replaces the TXT values of `name`. */
  setTxt(name: string, values: string[]): void;
  /** Forgets every record of `name`. */
  remove(name: string): void;
  /** Questions answered, in order, with their type (`A rebind.test`). */
  readonly queries: string[];
  close(): Promise<void>;
}

interface Records {
  addresses?: string[];
  txt?: string[];
}

const NXDOMAIN = 3;
const FORMERR = 1;

export async function startDnsStub(options: { port?: number; host?: string; txt?: Record<string, string[]> } = {}): Promise<DnsStub> {
  const host = options.host ?? '127.0.0.1';
  const records = new Map<string, Records>();
  const queries: string[] = [];
  const update = (name: string, change: Records) => void records.set(key(name), { ...records.get(key(name)), ...change });
  for (const [name, values] of Object.entries(options.txt ?? {})) update(name, { txt: values });

  const socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  socket.on('message', (message: Buffer, from: RemoteInfo) => {
    const reply = answerQuery(message, (name) => records.get(key(name)), queries);
    if (reply) socket.send(reply, from.port, from.address);
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
    address: isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`,
    set: (name, addresses) => update(name, { addresses }),
    setTxt: (name, values) => update(name, { txt: values }),
    remove: (name) => void records.delete(key(name)),
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/**
 * The reply to one query message: the records asked for, NXDOMAIN for an unknown name,
 * FORMERR for a message without a readable question, or null when it has not even a header.
 */
export function answerQuery(message: Buffer, recordsOf: (name: string) => Records | undefined, asked: string[] = []): Buffer | null {
  if (message.length < 12) return null;
  let query: dnsPacket.Packet;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return formatError(message);
  }
  const question = query.questions?.[0];
  if (!question) return formatError(message);
  asked.push(`${question.type} ${key(question.name)}`);
  const known = recordsOf(question.name);
  return dnsPacket.encode({
    type: 'response',
    id: query.id,
    flags: ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHORITATIVE_ANSWER | (known ? 0 : NXDOMAIN),
    questions: [question],
    answers: known ? answersFor(question, known) : [],
  });
}

function answersFor(question: dnsPacket.Question, known: Records): dnsPacket.Answer[] {
  const base = { name: question.name, class: 'IN' as const, ttl: 0 };
  if (question.type === 'A' || question.type === 'AAAA') {
    const family = question.type === 'A' ? 4 : 6;
    return (known.addresses ?? []).filter((a) => isIP(a) === family).map((data) => ({ ...base, type: question.type as 'A' | 'AAAA', data }));
  }
  // A TXT value longer than 255 bytes travels as several strings (RFC 1035 §3.3.14).
  if (question.type === 'TXT') return (known.txt ?? []).map((value) => ({ ...base, type: 'TXT' as const, data: chunks(Buffer.from(value, 'utf8')) }));
  return [];
}

function chunks(bytes: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length || parts.length === 0; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts;
}

/** A header-only FORMERR reply keeping the query's id. */
function formatError(message: Buffer): Buffer {
  const reply = Buffer.alloc(12);
  reply.writeUInt16BE(message.readUInt16BE(0), 0);
  reply.writeUInt16BE(0x8000 | (message.readUInt16BE(2) & 0x0100) | 0x0080 | FORMERR, 2);
  return reply;
}

const key = (name: string) => name.toLowerCase().replace(/\.$/, '');
