import { isIPv4, isIPv6 } from 'node:net';
import {
  DnsFormatError,
  encodeName,
  encodeResponse,
  Opcode,
  parseQuery,
  POINTER_TO_QUESTION,
  Rcode,
  readHeader,
  RRClass,
  RRType,
  soaData,
  type DnsHeader,
  type DnsQuestion,
  type ResourceRecord,
} from './message.ts';
import { classifySvcName, SVC_ZONE } from './svc-names.ts';

export interface LocalAnswerConfig {
  /** The domain gateway's address (IPv4 → A records, IPv6 → AAAA). */
  gatewayAddress: string;
  /** TTL of the address records. */
  ttlSeconds: number;
  /** How long resolvers may cache "no such name / no such record" (the SOA minimum, RFC 2308). */
  negativeTtlSeconds: number;
}

/** What to do with one message from a client. */
export type Decision =
  | { action: 'reply'; reply: Buffer; rcode: number }
  | { action: 'forward' }
  /** Not a query (a response, or shorter than a header): no answer, as resolvers do. */
  | { action: 'drop' };

/**
 * Decides a message: names under `svc` are answered here (see svc-names.ts), authoritatively,
 * everything else is forwarded. The answer's owner name points at the question, so it carries the
 * case the client asked with.
 */
export function decide(message: Uint8Array, config: LocalAnswerConfig): Decision {
  let header: DnsHeader;
  try {
    header = readHeader(message);
  } catch {
    return { action: 'drop' };
  }
  if (header.response) return { action: 'drop' };
  let questions: DnsQuestion[];
  try {
    questions = parseQuery(message).questions;
  } catch (err) {
    if (err instanceof DnsFormatError) return reply(header, undefined, Rcode.FormErr);
    throw err;
  }
  if (header.opcode !== Opcode.Query) return reply(header, questions.length === 1 ? questions[0] : undefined, Rcode.NotImp);
  if (questions.length !== 1) return reply(header, undefined, Rcode.FormErr);
  const question = questions[0]!;
  const name = classifySvcName(question.labels);
  if (name.kind === 'forward') return { action: 'forward' };
  if (question.class !== RRClass.IN && question.class !== RRClass.ANY) return reply(header, question, Rcode.Refused);
  if (name.kind === 'nonexistent') return reply(header, question, Rcode.NXDomain, [], [soaRecord(config)]);
  const address = name.kind === 'service' ? addressRecord(question.type, config) : undefined;
  // No record of the asked type (AAAA for an IPv4 gateway, MX, ...): NOERROR with no answer.
  return address ? reply(header, question, Rcode.NoError, [address]) : reply(header, question, Rcode.NoError, [], [soaRecord(config)]);
}

function reply(query: DnsHeader, question: DnsQuestion | undefined, rcode: number, answers: ResourceRecord[] = [], authority: ResourceRecord[] = []): Decision {
  const authoritative = question !== undefined && rcode !== Rcode.Refused && rcode !== Rcode.NotImp;
  return { action: 'reply', rcode, reply: encodeResponse({ query, question, rcode, authoritative, recursionAvailable: true, answers, authority }) };
}

function addressRecord(qtype: number, config: LocalAnswerConfig): ResourceRecord | undefined {
  const v4 = isIPv4(config.gatewayAddress);
  const type = v4 ? RRType.A : RRType.AAAA;
  if (qtype !== type && qtype !== RRType.ANY) return undefined;
  const data = v4 ? Buffer.from(config.gatewayAddress.split('.').map(Number)) : ipv6Bytes(config.gatewayAddress);
  return { name: POINTER_TO_QUESTION, type, class: RRClass.IN, ttl: config.ttlSeconds, data };
}

/** The `svc` zone's SOA, in the authority section of negative answers so resolvers may cache them. */
function soaRecord(config: LocalAnswerConfig): ResourceRecord {
  const data = soaData({ mname: ['ns', 'dns', SVC_ZONE], rname: ['hostmaster', SVC_ZONE], serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: config.negativeTtlSeconds });
  return { name: encodeName([SVC_ZONE]), type: RRType.SOA, class: RRClass.IN, ttl: config.negativeTtlSeconds, data };
}

function ipv6Bytes(address: string): Buffer {
  if (!isIPv6(address)) throw new Error(`${address} is not an IPv6 address`);
  let text = address.split('%')[0]!;
  // A trailing dotted quad (::ffff:1.2.3.4) becomes two groups.
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
