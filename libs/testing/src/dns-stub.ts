import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP } from 'node:net';
import * as dnsPacket from 'dns-packet';

/**
 * A DNS server on loopback (UDP) whose answers a test sets and changes at will: the attacker's
 * name server in DNS-rebinding tests. The gateway is pointed at it with GATEWAY_UPSTREAM_DNS.
 * A and AAAA only; every answer has TTL 0; unknown names are NXDOMAIN.
 */
export interface DnsStub {
  /** `127.0.0.1:<port>`, as GATEWAY_UPSTREAM_DNS takes it. */
  server: string;
  port: number;
  /** Sets the addresses a name resolves to from now on (IPv4 → A, IPv6 → AAAA). */
  set(name: string, addresses: string[]): void;
  /** Names asked, in order, with their type (`A rebind.test`). */
  readonly queries: string[];
  close(): Promise<void>;
}

export async function createDnsStub(options: { port?: number } = {}): Promise<DnsStub> {
  const records = new Map<string, string[]>();
  const queries: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (message: Buffer, from: RemoteInfo) => {
    let query: dnsPacket.Packet;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: ignore, as a real server would
    }
    const question = query.questions?.[0];
    if (!question) return;
    const name = question.name.toLowerCase().replace(/\.$/, '');
    queries.push(`${question.type} ${name}`);
    const known = records.get(name);
    const family = question.type === 'AAAA' ? 6 : 4;
    const answers = (question.type === 'A' || question.type === 'AAAA' ? (known ?? []) : [])
      .filter((address) => isIP(address) === family)
      .map((data) => ({ type: question.type as 'A' | 'AAAA', class: 'IN' as const, name: question.name, ttl: 0, data }));
    const reply = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), // rcode 3: NXDOMAIN
      questions: [question],
      answers,
    });
    socket.send(reply, from.port, from.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  return {
    server: `127.0.0.1:${port}`,
    port,
    set: (name, addresses) => void records.set(name.toLowerCase(), addresses),
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
