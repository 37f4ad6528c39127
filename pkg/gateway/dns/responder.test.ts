import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeName, parseQuery, readHeader, readName, Rcode, RRType } from './message.ts';
import { startDnsResponder, type DnsResponder } from './responder.ts';
import { startFakeUpstream, type FakeUpstream } from './testing/fake-upstream.ts';

const log = pino({ level: 'silent' });
const GATEWAY = '10.1.2.3';

let upstream: FakeUpstream;
let dns: DnsResponder;
let resolver: Resolver;

beforeAll(async () => {
  upstream = await startFakeUpstream({ 'example.test': '192.0.2.10', 'big.test': '192.0.2.11' }, ['big.test']);
  dns = await startDnsResponder({ port: 0, gatewayAddress: GATEWAY, upstreams: [`127.0.0.1:${upstream.port}`], upstreamTimeoutMs: 500, log });
  resolver = new Resolver({ timeout: 3_000, tries: 1 });
  resolver.setServers([`127.0.0.1:${dns.port}`]);
});

afterAll(async () => {
  await dns?.stop();
  await upstream?.stop();
});

/** A query as a stub resolver sends it (RD set). */
function query(id: number, name: string, type: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE(0x0100, 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(name.split('.')), tail]);
}

function askUdp(message: Buffer, timeoutMs = 3_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer'));
    }, timeoutMs);
    socket.on('message', (m) => {
      clearTimeout(timer);
      socket.close();
      resolve(m);
    });
    socket.send(message, dns.port, '127.0.0.1');
  });
}

function askTcp(message: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: dns.port });
    let got = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => {
      got = Buffer.concat([got, c]);
      if (got.length >= 2 && got.length >= 2 + got.readUInt16BE(0)) {
        socket.destroy();
        resolve(got.subarray(2, 2 + got.readUInt16BE(0)));
      }
    });
    const prefix = Buffer.alloc(2);
    prefix.writeUInt16BE(message.length, 0);
    socket.write(Buffer.concat([prefix, message]));
  });
}

describe('DNS responder (node:dns as the client)', () => {
  it('answers A for <svc>.<domain>.svc with the gateway address, in any case and as an FQDN', async () => {
    expect(await resolver.resolve4('svc.bob.svc', { ttl: true })).toEqual([{ address: GATEWAY, ttl: 30 }]);
    expect(await resolver.resolve4('Fake-Engine.ALICE.Svc')).toEqual([GATEWAY]);
    expect(await resolver.resolve4('svc.bob.svc.')).toEqual([GATEWAY]);
  });

  it('has no AAAA for it: NOERROR with an empty answer and the svc SOA, not an error', async () => {
    await expect(resolver.resolve6('svc.bob.svc')).rejects.toMatchObject({ code: 'ENODATA' });
    const reply = await askUdp(query(0x1234, 'svc.bob.svc', RRType.AAAA));
    const header = readHeader(reply);
    expect(header).toMatchObject({ id: 0x1234, response: true, authoritative: true, recursionDesired: true, rcode: Rcode.NoError, qdcount: 1, ancount: 0, nscount: 1 });
    const { questions } = parseQuery(reply);
    expect(questions).toEqual([{ labels: ['svc', 'bob', 'svc'], type: RRType.AAAA, class: 1 }]);
  });

  it('says NXDOMAIN for other names under svc, but keeps the names above services existing', async () => {
    await expect(resolver.resolve4('a.svc.bob.svc')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(resolver.resolve4('bob.svc')).rejects.toMatchObject({ code: 'ENODATA' });
    expect(readHeader(await askUdp(query(7, 'x.y.bob.svc', RRType.A))).rcode).toBe(Rcode.NXDomain);
  });

  it('forwards every other name to the upstream resolver and relays its answer', async () => {
    const before = dns.stats().forwarded;
    expect(await resolver.resolve4('example.test')).toEqual(['192.0.2.10']);
    await expect(resolver.resolve4('unknown.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(upstream.seen.map((s) => s.name)).toEqual(expect.arrayContaining(['example.test', 'unknown.test']));
    expect(upstream.seen.some((s) => s.name.endsWith('.svc'))).toBe(false);
    expect(dns.stats().forwarded - before).toBe(2);
  });

  it('relays a truncated UDP answer, and the client’s TCP retry is forwarded over TCP', async () => {
    expect(readHeader(await askUdp(query(9, 'big.test', RRType.A))).truncated).toBe(true);
    expect(await resolver.resolve4('big.test')).toEqual(['192.0.2.11']);
    expect(upstream.seen.filter((s) => s.name === 'big.test').map((s) => s.transport)).toContain('tcp');
  });

  it('answers over TCP too', async () => {
    const reply = await askTcp(query(42, 'svc.bob.svc', RRType.A));
    expect(readHeader(reply)).toMatchObject({ id: 42, rcode: Rcode.NoError, ancount: 1 });
    // The answer's owner name is a pointer to the question; its address is the gateway's.
    const afterQuestion = 12 + encodeName(['svc', 'bob', 'svc']).length + 4;
    expect(readName(reply, afterQuestion).labels).toEqual(['svc', 'bob', 'svc']);
    expect([...reply.subarray(reply.length - 4)].join('.')).toBe(GATEWAY);
  });

  it('answers a malformed query with FORMERR and ignores responses', async () => {
    const bad = query(5, 'svc.bob.svc', RRType.A);
    bad[12] = 0xc0; // a compression pointer where the name starts: it cannot point backwards
    bad[13] = 0x20;
    expect(readHeader(await askUdp(bad))).toMatchObject({ id: 5, rcode: Rcode.FormErr });
    const response = query(6, 'svc.bob.svc', RRType.A);
    response.writeUInt16BE(0x8100, 2);
    await expect(askUdp(response, 300)).rejects.toThrow('no answer');
  });
});

describe('DNS responder without a working upstream', () => {
  it('answers SERVFAIL for forwarded names, and still answers svc names', async () => {
    const dead = await startFakeUpstream({});
    const port = dead.port;
    await dead.stop();
    const lonely = await startDnsResponder({ port: 0, gatewayAddress: '::1', upstreams: [`127.0.0.1:${port}`], upstreamTimeoutMs: 200, tcp: false, log });
    try {
      const r = new Resolver({ timeout: 3_000, tries: 1 });
      r.setServers([`127.0.0.1:${lonely.port}`]);
      await expect(r.resolve4('example.test')).rejects.toMatchObject({ code: 'ESERVFAIL' });
      expect(await r.resolve6('svc.bob.svc')).toEqual(['::1']);
      expect(lonely.stats().upstreamFailures).toBe(1);
    } finally {
      await lonely.stop();
    }
  });
});
