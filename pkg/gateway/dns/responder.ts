import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, isIPv6, type Server, type Socket } from 'node:net';
import type { Logger } from 'pino';
import { forward } from './forwarder.ts';
import { decide, type LocalAnswerConfig } from './local-answer.ts';
import { encodeResponse, parseQuery, Rcode, withId } from './message.ts';
import { parseUpstream, systemUpstreams, type Upstream } from './resolv-conf.ts';

export interface DnsResponderOptions {
  /** Where to listen, UDP and TCP (default 127.0.0.1). */
  listenAddress?: string;
  /** Port for both (default 53); 0 picks a free one. */
  port?: number;
  /** The address `<svc>.<domain>.svc` resolves to: the domain gateway's internal listener host. */
  gatewayAddress: string;
  /** Resolvers for every other name (`10.0.0.2`, `[::1]:5353`); default the `nameserver`s of resolvConfPath. */
  upstreams?: readonly string[];
  /** Default /etc/resolv.conf, read once at start. */
  resolvConfPath?: string;
  /** TTL of the gateway's address records (default 30 s). */
  ttlSeconds?: number;
  /** TTL of negative answers (default 5 s). */
  negativeTtlSeconds?: number;
  /** Per upstream attempt (default 2 s). */
  upstreamTimeoutMs?: number;
  /** Serve TCP as well (default true): clients retry truncated answers over TCP. */
  tcp?: boolean;
  log: Logger;
}

export interface DnsResponderStats {
  /** Answered here (svc names), by rcode. */
  local: Record<string, number>;
  forwarded: number;
  /** Forwarded queries no upstream answered (the client got SERVFAIL). */
  upstreamFailures: number;
}

export interface DnsResponder {
  address: string;
  port: number;
  upstreams: readonly Upstream[];
  stats(): DnsResponderStats;
  stop(): Promise<void>;
}

const RCODE_NAMES: Record<number, string> = { 0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED' };
/** A TCP client that sends nothing for this long is disconnected (RFC 7766 §6.2.3 suggests seconds). */
const TCP_IDLE_MS = 10_000;

/**
 * The DNS responder for task containers (RunC points their resolv.conf at it): `<svc>.<domain>.svc`
 * is the domain gateway, other names under `svc` are answered from that rule, everything else is
 * relayed to the host's resolvers. Kuscia runs CoreDNS with its own plugin for this.
 */
export async function startDnsResponder(opts: DnsResponderOptions): Promise<DnsResponder> {
  const listenAddress = opts.listenAddress ?? '127.0.0.1';
  if (isIP(opts.gatewayAddress) === 0) throw new Error(`dns: gatewayAddress ${JSON.stringify(opts.gatewayAddress)} is not an IP address`);
  const log = opts.log.child({ component: 'dns', listenAddress });
  const config: LocalAnswerConfig = { gatewayAddress: opts.gatewayAddress, ttlSeconds: opts.ttlSeconds ?? 30, negativeTtlSeconds: opts.negativeTtlSeconds ?? 5 };
  const timeoutMs = opts.upstreamTimeoutMs ?? 2_000;
  const configured = opts.upstreams ? opts.upstreams.map(parseUpstream) : await systemUpstreams(opts.resolvConfPath);
  const stats: DnsResponderStats = { local: {}, forwarded: 0, upstreamFailures: 0 };

  const udp = createSocket({ type: isIPv6(listenAddress) ? 'udp6' : 'udp4' });
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(opts.port ?? 53, listenAddress, () => {
      udp.off('error', reject);
      resolve();
    });
  });
  const port = udp.address().port;
  // Forwarding to ourselves would loop until every query times out.
  const upstreams = configured.filter((u) => !(u.port === port && (u.host === listenAddress || (listenAddress === '0.0.0.0' && u.host.startsWith('127.')))));
  if (upstreams.length < configured.length) log.warn({ port }, 'dns: an upstream resolver is this responder itself; skipped');

  const answer = async (message: Buffer, transport: 'udp' | 'tcp'): Promise<Buffer | undefined> => {
    const decision = decide(message, config);
    if (decision.action === 'drop') return undefined;
    if (decision.action === 'reply') {
      const name = RCODE_NAMES[decision.rcode] ?? String(decision.rcode);
      stats.local[name] = (stats.local[name] ?? 0) + 1;
      return decision.reply;
    }
    stats.forwarded++;
    const upstreamAnswer = await forward(message, upstreams, transport, timeoutMs);
    const id = message.readUInt16BE(0);
    if (upstreamAnswer) return withId(upstreamAnswer, id);
    stats.upstreamFailures++;
    log.debug({ upstreams, transport }, 'dns: no upstream resolver answered');
    // The question is echoed: clients match it against what they asked (c-ares calls a reply without it bad).
    const { header, questions } = parseQuery(message);
    return encodeResponse({ query: header, question: questions[0], rcode: Rcode.ServFail, authoritative: false, recursionAvailable: true });
  };

  udp.on('message', (message, from) => {
    answer(message, 'udp').then(
      (reply) => {
        if (reply) udp.send(reply, from.port, from.address);
      },
      (err: unknown) => log.warn({ err: (err as Error).message }, 'dns: query failed'),
    );
  });
  udp.on('error', (err) => log.warn({ err: err.message }, 'dns: udp socket error'));

  let tcp: Server | undefined;
  const connections = new Set<Socket>();
  if (opts.tcp ?? true) {
    tcp = createServer((socket) => {
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      serveTcp(socket, (m) => answer(m, 'tcp'), log);
    });
    const server = tcp;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, listenAddress, () => {
        server.off('error', reject);
        resolve();
      });
    }).catch((err: unknown) => {
      udp.close();
      throw err;
    });
  }
  log.info({ port, gatewayAddress: opts.gatewayAddress, upstreams, tcp: tcp !== undefined }, 'dns responder listening');

  return {
    address: listenAddress,
    port,
    upstreams,
    stats: () => structuredClone(stats),
    stop: async () => {
      await Promise.all([
        new Promise<void>((resolve) => closeUdp(udp, resolve)),
        new Promise<void>((resolve) => {
          if (!tcp) return resolve();
          tcp.close(() => resolve());
          for (const s of connections) s.destroy();
        }),
      ]);
    },
  };
}

function closeUdp(socket: UdpSocket, done: () => void): void {
  try {
    socket.close(done);
  } catch {
    done();
  }
}

/** Length-prefixed messages, answered in order (RFC 7766 allows pipelining). */
function serveTcp(socket: Socket, answer: (message: Buffer) => Promise<Buffer | undefined>, log: Logger): void {
  let pending = Buffer.alloc(0);
  let chain: Promise<void> = Promise.resolve();
  socket.setTimeout(TCP_IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const message = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      chain = chain.then(async () => {
        try {
          const reply = await answer(message);
          if (!reply || socket.destroyed) return;
          const prefix = Buffer.alloc(2);
          prefix.writeUInt16BE(reply.length, 0);
          socket.write(Buffer.concat([prefix, reply]));
        } catch (err) {
          log.warn({ err: (err as Error).message }, 'dns: query failed');
        }
      });
    }
  });
}
