import net from 'node:net';
import type { CompiledListener } from '../config/listener-config.ts';
import type { ProxyRuntime } from './connection-manager.ts';
import { ProtocolServers } from './protocol-servers.ts';

/**
 * The listening socket of one Listener. Updates that keep the address keep the socket (no
 * connection is refused while the configuration changes); connections accepted before an update
 * keep the configuration they were accepted under and are drained.
 */
export class ListenerServer {
  private servers: ProtocolServers;
  private readonly draining = new Set<ProtocolServers>();
  private readonly server: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private readonly runtime: ProxyRuntime;

  constructor(listener: CompiledListener, runtime: ProxyRuntime) {
    this.runtime = runtime;
    this.servers = new ProtocolServers(listener, runtime);
    this.server = net.createServer({ pauseOnConnect: false, noDelay: true }, (socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.servers.accept(socket);
    });
  }

  get listener(): CompiledListener {
    return this.servers.listener;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Binds the address; fails (EADDRINUSE, EACCES) before anything else changes. */
  listen(): Promise<void> {
    const { host, port } = this.servers.listener;
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.server.once('error', onError);
      this.server.listen({ host, port, backlog: 1024 }, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.runtime.log.error({ listener: this.listener.name, err: err.message }, 'listener socket error'));
        resolve();
      });
    });
  }

  /** New configuration, same address. */
  update(listener: CompiledListener): void {
    const old = this.servers;
    this.servers = new ProtocolServers(listener, this.runtime);
    old.drain();
    this.draining.add(old);
  }

  /** Stops accepting, lets requests in flight finish for up to `drainMs`, then closes everything. */
  async close(drainMs: number): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const servers of [this.servers, ...this.draining]) servers.drain();
    if (drainMs > 0) {
      const deadline = Date.now() + drainMs;
      while (this.sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    for (const servers of [this.servers, ...this.draining]) servers.destroy();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}
