import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';

/** One question the server was asked: the name (lower case, no trailing dot) and the record type (A, AAAA, …). */
export interface DnsQuestion {
  name: string;
  type: string;
}

const TYPES: Record<number, string> = { 1: 'A', 28: 'AAAA' };

/**
 * A nameserver on 127.0.0.1 (UDP, RFC 1035 messages) for the names a suite gives it: each answers with the IPv4
 * address set for it now (an A record with a TTL of 0, so nothing keeps it), with no AAAA record (NOERROR, no
 * answer), and any other name with NXDOMAIN. `answer` changes a name's address between two questions, as a
 * rebinding attacker's nameserver does. Every question is recorded.
 */
export class FakeDns {
  readonly questions: DnsQuestion[] = [];
  private readonly records = new Map<string, string>();
  private socket!: Socket;
  port = 0;

  /** `host:port` as WEBHOOK_DNS_SERVERS takes it. */
  get server(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** From now on `name` resolves to `ipv4`. */
  answer(name: string, ipv4: string): void {
    if (!isIPv4(ipv4)) throw new Error(`not an IPv4 address: ${ipv4}`);
    this.records.set(name.toLowerCase(), ipv4);
  }

  async start(): Promise<this> {
    this.socket = createSocket('udp4');
    // A reply that cannot be sent (the asker gone) is a lost datagram, as on a network: the asker times out.
    this.socket.on('error', () => undefined);
    this.socket.on('message', (msg, from) => {
      const reply = this.reply(msg);
      if (reply) this.socket.send(reply, from.port, from.address);
    });
    await new Promise<void>((resolve) => this.socket.bind(0, '127.0.0.1', resolve));
    this.port = this.socket.address().port;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  /** The answer to one query message (one question), or undefined for what is not one. */
  private reply(msg: Buffer): Buffer | undefined {
    if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
    const labels: string[] = [];
    let at = 12;
    while (at < msg.length && msg[at] !== 0) {
      const len = msg[at];
      if (len > 63 || at + 1 + len > msg.length) return undefined;
      labels.push(msg.toString('latin1', at + 1, at + 1 + len));
      at += 1 + len;
    }
    if (at + 5 > msg.length) return undefined;
    const questionEnd = at + 5;
    const type = msg.readUInt16BE(at + 1);
    const name = labels.join('.').toLowerCase();
    this.questions.push({ name, type: TYPES[type] ?? String(type) });
    const address = this.records.get(name);
    const answers = address !== undefined && type === 1 ? [address] : [];
    // Header: the query's id; QR, the query's RD, RA; NOERROR or NXDOMAIN; one question, the answers.
    const header = Buffer.alloc(12);
    header.writeUInt16BE(msg.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8080 | (msg.readUInt16BE(2) & 0x0100) | (address === undefined ? 3 : 0), 2);
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length, 6);
    const records = answers.map((a) => {
      const rr = Buffer.alloc(16);
      rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
      rr.writeUInt16BE(1, 2); // A
      rr.writeUInt16BE(1, 4); // IN
      rr.writeUInt32BE(0, 6); // TTL
      rr.writeUInt16BE(4, 10);
      a.split('.').forEach((octet, i) => rr.writeUInt8(Number(octet), 12 + i));
      return rr;
    });
    return Buffer.concat([header, msg.subarray(12, questionEnd), ...records]);
  }
}
