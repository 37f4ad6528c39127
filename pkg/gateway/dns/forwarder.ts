import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { isIPv6, connect } from 'node:net';
import { HEADER_SIZE, readHeader, withId } from './message.ts';
import type { Upstream } from './resolv-conf.ts';

/**
 * Forwards a query to the upstream resolvers in order, each with its own timeout, and returns the
 * first answer as bytes (the caller restores the client's id). A fresh id and, over UDP, a fresh
 * socket (random source port) per attempt: a spoofed reply must guess both. The transport is the
 * client's: a UDP answer truncated upstream (TC) reaches the client as such, and its retry over
 * TCP is forwarded over TCP.
 */
export async function forward(query: Uint8Array, upstreams: readonly Upstream[], transport: 'udp' | 'tcp', timeoutMs: number): Promise<Buffer | undefined> {
  for (const upstream of upstreams) {
    const id = randomInt(0, 0x10000);
    const message = withId(query, id);
    const answer = await (transport === 'udp' ? askUdp(message, upstream, timeoutMs) : askTcp(message, upstream, timeoutMs)).catch(() => undefined);
    if (answer && isAnswerTo(answer, id)) return answer;
  }
  return undefined;
}

function isAnswerTo(answer: Buffer, id: number): boolean {
  if (answer.length < HEADER_SIZE) return false;
  const header = readHeader(answer);
  return header.response && header.id === id;
}

function askUdp(message: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(upstream.host.split('%')[0]!) ? 'udp6' : 'udp4');
    const id = message.readUInt16BE(0);
    const done = (answer: Buffer | undefined) => {
      clearTimeout(timer);
      socket.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('message', (answer, from) => {
      // Only the server asked, only an answer to this id; anything else is ignored, not fatal.
      if (from.port !== upstream.port || (!upstream.host.includes('%') && from.address !== upstream.host)) return;
      if (answer.length < HEADER_SIZE || answer.readUInt16BE(0) !== id) return;
      done(answer);
    });
    socket.send(message, upstream.port, upstream.host, (err) => {
      if (err) done(undefined);
    });
  });
}

/** RFC 1035 §4.2.2 / RFC 7766: each message is preceded by its length in two octets. */
function askTcp(message: Buffer, upstream: Upstream, timeoutMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: upstream.host, port: upstream.port });
    let received = Buffer.alloc(0);
    const done = (answer: Buffer | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length >= 2 + length) done(received.subarray(2, 2 + length));
    });
    const length = Buffer.alloc(2);
    length.writeUInt16BE(message.length, 0);
    socket.write(Buffer.concat([length, message]));
  });
}
