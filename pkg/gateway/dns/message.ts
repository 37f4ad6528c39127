/**
 * The DNS wire format (RFC 1035 §4), as much as the responder needs: a query's header and
 * question (names may be compressed, RFC 1035 §4.1.4) and responses built from scratch. Forwarded
 * messages are relayed as bytes and never re-encoded.
 */

export const RRType = { A: 1, NS: 2, CNAME: 5, SOA: 6, AAAA: 28, OPT: 41, ANY: 255 } as const;
export const RRClass = { IN: 1, ANY: 255 } as const;
export const Rcode = { NoError: 0, FormErr: 1, ServFail: 2, NXDomain: 3, NotImp: 4, Refused: 5 } as const;
export const Opcode = { Query: 0 } as const;

export const HEADER_SIZE = 12;
/** RFC 1035 §2.3.4. */
const MAX_NAME_OCTETS = 255;
const MAX_LABEL_OCTETS = 63;

/** The message cannot be parsed (the responder answers FORMERR when it has at least a header). */
export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

export interface DnsHeader {
  id: number;
  /** QR: a response. */
  response: boolean;
  opcode: number;
  authoritative: boolean;
  truncated: boolean;
  recursionDesired: boolean;
  recursionAvailable: boolean;
  /** AD and CD (RFC 4035); the Z bit is always written as 0. */
  authenticData: boolean;
  checkingDisabled: boolean;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface DnsQuestion {
  /** Labels as sent (case kept: a resolver may randomise it, RFC draft "0x20", and checks the echo). */
  labels: string[];
  type: number;
  class: number;
}

export interface DnsQuery {
  header: DnsHeader;
  questions: DnsQuestion[];
}

export function readHeader(buf: Uint8Array): DnsHeader {
  if (buf.length < HEADER_SIZE) throw new DnsFormatError(`message of ${buf.length} bytes is shorter than a header`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const flags = view.getUint16(2);
  return {
    id: view.getUint16(0),
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    authoritative: (flags & 0x0400) !== 0,
    truncated: (flags & 0x0200) !== 0,
    recursionDesired: (flags & 0x0100) !== 0,
    recursionAvailable: (flags & 0x0080) !== 0,
    authenticData: (flags & 0x0020) !== 0,
    checkingDisabled: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    qdcount: view.getUint16(4),
    ancount: view.getUint16(6),
    nscount: view.getUint16(8),
    arcount: view.getUint16(10),
  };
}

/** Header and question section; the other sections (an EDNS OPT record, say) are not read. */
export function parseQuery(buf: Uint8Array): DnsQuery {
  const header = readHeader(buf);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const questions: DnsQuestion[] = [];
  let offset = HEADER_SIZE;
  for (let i = 0; i < header.qdcount; i++) {
    const name = readName(buf, offset);
    offset = name.next;
    if (offset + 4 > buf.length) throw new DnsFormatError('question ends before its type and class');
    questions.push({ labels: name.labels, type: view.getUint16(offset), class: view.getUint16(offset + 2) });
    offset += 4;
  }
  return { header, questions };
}

/**
 * A domain name at `offset`: its labels and where the data after it starts. A compression pointer
 * must point before itself, which rules out loops.
 */
export function readName(buf: Uint8Array, offset: number): { labels: string[]; next: number } {
  const labels: string[] = [];
  let octets = 1;
  let pos = offset;
  let next: number | undefined;
  for (;;) {
    if (pos >= buf.length) throw new DnsFormatError('name runs past the end of the message');
    const len = buf[pos]!;
    if ((len & 0xc0) === 0xc0) {
      if (pos + 1 >= buf.length) throw new DnsFormatError('truncated compression pointer');
      const target = ((len & 0x3f) << 8) | buf[pos + 1]!;
      if (target >= pos) throw new DnsFormatError('compression pointer does not point backwards');
      next ??= pos + 2;
      pos = target;
      continue;
    }
    if ((len & 0xc0) !== 0) throw new DnsFormatError(`unsupported label type 0x${(len & 0xc0).toString(16)}`);
    if (len === 0) return { labels, next: next ?? pos + 1 };
    if (pos + 1 + len > buf.length) throw new DnsFormatError('label runs past the end of the message');
    octets += len + 1;
    if (octets > MAX_NAME_OCTETS) throw new DnsFormatError(`name longer than ${MAX_NAME_OCTETS} octets`);
    // latin1: a label is octets, not text; this keeps every byte as it came.
    labels.push(Buffer.from(buf.subarray(pos + 1, pos + 1 + len)).toString('latin1'));
    pos += 1 + len;
  }
}

export function encodeName(labels: readonly string[]): Buffer {
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'latin1');
    if (bytes.length === 0 || bytes.length > MAX_LABEL_OCTETS) throw new DnsFormatError(`label of ${bytes.length} octets`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

export interface ResourceRecord {
  /** Encoded owner name (a compression pointer is fine: see POINTER_TO_QUESTION). */
  name: Buffer;
  type: number;
  class: number;
  ttl: number;
  data: Buffer;
}

/** The first question's name always starts right after the header. */
export const POINTER_TO_QUESTION = Buffer.from([0xc0, HEADER_SIZE]);

export interface ResponseParts {
  query: DnsHeader;
  question?: DnsQuestion;
  rcode: number;
  authoritative: boolean;
  recursionAvailable: boolean;
  answers?: ResourceRecord[];
  authority?: ResourceRecord[];
}

/** A response to `query`: same id, opcode, RD and CD; the question echoed as it was asked. */
export function encodeResponse(parts: ResponseParts): Buffer {
  const answers = parts.answers ?? [];
  const authority = parts.authority ?? [];
  const header = Buffer.alloc(HEADER_SIZE);
  let flags = 0x8000 | ((parts.query.opcode & 0xf) << 11) | (parts.rcode & 0xf);
  if (parts.authoritative) flags |= 0x0400;
  if (parts.query.recursionDesired) flags |= 0x0100;
  if (parts.recursionAvailable) flags |= 0x0080;
  if (parts.query.checkingDisabled) flags |= 0x0010;
  header.writeUInt16BE(parts.query.id, 0);
  header.writeUInt16BE(flags, 2);
  header.writeUInt16BE(parts.question ? 1 : 0, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(authority.length, 8);
  header.writeUInt16BE(0, 10);
  const chunks: Buffer[] = [header];
  if (parts.question) {
    const typeClass = Buffer.alloc(4);
    typeClass.writeUInt16BE(parts.question.type, 0);
    typeClass.writeUInt16BE(parts.question.class, 2);
    chunks.push(encodeName(parts.question.labels), typeClass);
  }
  for (const rr of [...answers, ...authority]) chunks.push(encodeRecord(rr));
  return Buffer.concat(chunks);
}

function encodeRecord(rr: ResourceRecord): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(rr.type, 0);
  fixed.writeUInt16BE(rr.class, 2);
  fixed.writeUInt32BE(rr.ttl >>> 0, 4);
  fixed.writeUInt16BE(rr.data.length, 8);
  return Buffer.concat([rr.name, fixed, rr.data]);
}

/** SOA RDATA (RFC 1035 §3.3.13). */
export function soaData(soa: { mname: string[]; rname: string[]; serial: number; refresh: number; retry: number; expire: number; minimum: number }): Buffer {
  const numbers = Buffer.alloc(20);
  [soa.serial, soa.refresh, soa.retry, soa.expire, soa.minimum].forEach((n, i) => numbers.writeUInt32BE(n >>> 0, i * 4));
  return Buffer.concat([encodeName(soa.mname), encodeName(soa.rname), numbers]);
}

/** A copy of a message with another id (forwarding swaps the client's id for a fresh one and back). */
export function withId(message: Uint8Array, id: number): Buffer {
  const copy = Buffer.from(message);
  copy.writeUInt16BE(id, 0);
  return copy;
}
