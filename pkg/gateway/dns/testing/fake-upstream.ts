import { createSocket } from 'node:dgram';
import { createServer, type Socket } from 'node:net';
import { encodeResponse, parseQuery, POINTER_TO_QUESTION, Rcode, RRClass, RRType } from '../message.ts';

export interface FakeUpstream {
  port: number;
  /** Every question received: the name as asked and the transport. */
  seen: Array<{ name: string; transport: 'udp' | 'tcp' }>;
  stop(): Promise<void>;
}

/**
 * A resolver standing in for the host's (tests never ask the internet), on UDP and TCP of one
 * port: A records from `records`; names in `largeOverUdp` come back truncated (TC) over UDP and in
 * full over TCP, as a real server does with answers too large for a datagram; other names NXDOMAIN.
 */
export async function startFakeUpstream(records: Record<string, string>, largeOverUdp: readonly string[] = []): Promise<FakeUpstream> {
  const seen: FakeUpstream['seen'] = [];
  const respond = (message: Buffer, transport: 'udp' | 'tcp'): Buffer => {
    const { header, questions } = parseQuery(message);
    const question = questions[0]!;
    const name = question.labels.join('.').toLowerCase();
    seen.push({ name: question.labels.join('.'), transport });
    const address = records[name];
    const reply = encodeResponse({
      query: header,
      question,
      rcode: address ? Rcode.NoError : Rcode.NXDomain,
      authoritative: false,
      recursionAvailable: true,
      answers:
        address && !(transport === 'udp' && largeOverUdp.includes(name))
          ? [{ name: POINTER_TO_QUESTION, type: RRType.A, class: RRClass.IN, ttl: 300, data: Buffer.from(address.split('.').map(Number)) }]
          : [],
    });
    if (transport === 'udp' && largeOverUdp.includes(name)) reply.writeUInt16BE(reply.readUInt16BE(2) | 0x0200, 2);
    return reply;
  };

  const udp = createSocket('udp4');
  udp.on('message', (m, from) => udp.send(respond(m, 'udp'), from.port, from.address));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const port = udp.address().port;
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + message.length);
        const reply = respond(message, 'tcp');
        const prefix = Buffer.alloc(2);
        prefix.writeUInt16BE(reply.length, 0);
        socket.write(Buffer.concat([prefix, reply]));
      }
    });
  });
  await new Promise<void>((resolve) => tcp.listen(port, '127.0.0.1', resolve));
  return {
    port,
    seen,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await Promise.all([new Promise<void>((r) => udp.close(() => r())), new Promise<void>((r) => tcp.close(() => r()))]);
    },
  };
}
