import { describe, expect, it } from 'vitest';
import { decide } from './local-answer.ts';
import { DnsFormatError, encodeName, parseQuery, Rcode, readHeader, readName, RRType } from './message.ts';
import { parseResolvConf, parseUpstream } from './resolv-conf.ts';
import { classifySvcName } from './svc-names.ts';

function header(id: number, flags: number, qdcount: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(flags, 2);
  h.writeUInt16BE(qdcount, 4);
  return h;
}

function typeClass(type: number, klass = 1): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(type, 0);
  b.writeUInt16BE(klass, 2);
  return b;
}

const config = { gatewayAddress: '10.1.2.3', ttlSeconds: 30, negativeTtlSeconds: 5 };

describe('DNS names on the wire', () => {
  it('follows compression pointers and returns where the data after the name starts', () => {
    // Question 1: web.bob.svc; question 2: api.<pointer to bob.svc>.
    const first = encodeName(['web', 'bob', 'svc']);
    const second = Buffer.concat([Buffer.from([3]), Buffer.from('api'), Buffer.from([0xc0, 12 + 4])]);
    const msg = Buffer.concat([header(1, 0x0100, 2), first, typeClass(RRType.A), second, typeClass(RRType.AAAA)]);
    expect(parseQuery(msg).questions).toEqual([
      { labels: ['web', 'bob', 'svc'], type: RRType.A, class: 1 },
      { labels: ['api', 'bob', 'svc'], type: RRType.AAAA, class: 1 },
    ]);
    expect(readName(msg, 12 + first.length + 4).next).toBe(msg.length - 4);
  });

  it('refuses pointer loops, names past the end and names over 255 octets', () => {
    const loop = Buffer.concat([header(1, 0, 1), Buffer.from([0xc0, 12]), typeClass(1)]);
    expect(() => parseQuery(loop)).toThrow(/does not point backwards/);
    expect(() => parseQuery(Buffer.concat([header(1, 0, 1), Buffer.from([5, 97, 98])]))).toThrow(DnsFormatError);
    const long = Buffer.concat([header(1, 0, 1), ...Array.from({ length: 5 }, () => Buffer.concat([Buffer.from([60]), Buffer.alloc(60, 97)])), Buffer.from([0]), typeClass(1)]);
    expect(() => parseQuery(long)).toThrow(/longer than 255/);
    expect(() => encodeName(['a'.repeat(64)])).toThrow(DnsFormatError);
  });
});

describe('which names are answered locally', () => {
  it('classifies svc names case-insensitively', () => {
    expect(classifySvcName(['Web', 'BOB', 'Svc'])).toEqual({ kind: 'service', service: 'web', domain: 'bob' });
    expect(classifySvcName(['bob', 'svc'])).toEqual({ kind: 'empty-non-terminal' });
    expect(classifySvcName(['svc'])).toEqual({ kind: 'empty-non-terminal' });
    expect(classifySvcName(['a', 'web', 'bob', 'svc'])).toEqual({ kind: 'nonexistent' });
    expect(classifySvcName(['svc', 'example', 'com'])).toEqual({ kind: 'forward' });
    expect(classifySvcName([])).toEqual({ kind: 'forward' });
  });

  it('answers ANY with the address, refuses other classes, and does not implement other opcodes', () => {
    const q = (flags: number, type: number, klass = 1) => Buffer.concat([header(3, flags, 1), encodeName(['web', 'bob', 'svc']), typeClass(type, klass)]);
    const any = decide(q(0x0100, RRType.ANY), config);
    expect(any.action === 'reply' && readHeader(any.reply)).toMatchObject({ rcode: Rcode.NoError, ancount: 1, authoritative: true });
    const chaos = decide(q(0x0100, RRType.A, 3), config);
    expect(chaos.action === 'reply' && readHeader(chaos.reply)).toMatchObject({ rcode: Rcode.Refused, authoritative: false });
    const notify = decide(q(4 << 11, RRType.SOA), config);
    expect(notify.action === 'reply' && readHeader(notify.reply)).toMatchObject({ rcode: Rcode.NotImp, opcode: 4 });
    expect(decide(q(0x8100, RRType.A), config)).toEqual({ action: 'drop' });
    expect(decide(Buffer.alloc(5), config)).toEqual({ action: 'drop' });
    expect(decide(Buffer.concat([header(3, 0x0100, 1), encodeName(['example', 'com']), typeClass(RRType.A)]), config)).toEqual({ action: 'forward' });
  });

  it('answers AAAA for an IPv6 gateway address', () => {
    const d = decide(Buffer.concat([header(3, 0x0100, 1), encodeName(['web', 'bob', 'svc']), typeClass(RRType.AAAA)]), { ...config, gatewayAddress: 'fd00::1:2' });
    expect(d.action).toBe('reply');
    if (d.action !== 'reply') return;
    expect(readHeader(d.reply).ancount).toBe(1);
    expect(d.reply.subarray(d.reply.length - 16).toString('hex')).toBe('fd000000000000000000000000010002');
  });
});

describe('upstream resolvers', () => {
  it('reads the nameserver lines of resolv.conf', () => {
    const text = 'search bob.svc\n# nameserver 1.1.1.1\nnameserver 10.0.0.2\nnameserver   fe80::1%eth0 ; comment\nnameserver not-an-ip\noptions ndots:5\n';
    expect(parseResolvConf(text)).toEqual([
      { host: '10.0.0.2', port: 53 },
      { host: 'fe80::1%eth0', port: 53 },
    ]);
  });

  it('parses configured upstreams with optional ports', () => {
    expect(parseUpstream('10.0.0.2')).toEqual({ host: '10.0.0.2', port: 53 });
    expect(parseUpstream('10.0.0.2:5353')).toEqual({ host: '10.0.0.2', port: 5353 });
    expect(parseUpstream('::1')).toEqual({ host: '::1', port: 53 });
    expect(parseUpstream('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(() => parseUpstream('dns.example:53')).toThrow(/expected an IP address/);
  });
});
