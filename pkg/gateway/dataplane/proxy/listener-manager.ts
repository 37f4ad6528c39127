import { XdsConfigError } from '../config/config-error.ts';
import type { CompiledListener } from '../config/listener-config.ts';
import type { ProxyRuntime } from './connection-manager.ts';
import { ListenerServer } from './listener-server.ts';

export interface ListenerInfo {
  name: string;
  host: string;
  /** The bound port (the OS's choice when the Listener says 0). */
  port: number;
}

/** How long a removed or moved listener's connections may finish their requests (Envoy: --drain-time-s). */
const DRAIN_MS = 10_000;

/**
 * The listeners in service. A complete LDS state is applied in two steps: bind every new address
 * (a bind failure NACKs the update and leaves everything as it was), then swap configurations and
 * drain what went away.
 */
export class ListenerManager {
  private readonly runtime: ProxyRuntime;
  private active = new Map<string, { server: ListenerServer; source: string }>();

  constructor(runtime: ProxyRuntime) {
    this.runtime = runtime;
  }

  async setListeners(configs: ReadonlyMap<string, { config: CompiledListener; source: string }>): Promise<void> {
    const byAddress = new Map([...this.active.values()].map((a) => [addressKey(a.server.listener), a]));
    const bound: ListenerServer[] = [];
    const next = new Map<string, { server: ListenerServer; source: string }>();
    const reused = new Set<ListenerServer>();
    const plan: Array<() => void> = [];
    try {
      for (const [name, { config, source }] of configs) {
        const current = this.active.get(name) ?? byAddress.get(addressKey(config));
        if (current && addressKey(current.server.listener) === addressKey(config) && !reused.has(current.server)) {
          reused.add(current.server);
          next.set(name, { server: current.server, source });
          if (current.source !== source || this.active.get(name) !== current) plan.push(() => current.server.update(config));
          continue;
        }
        const server = new ListenerServer(config, this.runtime);
        await server.listen().catch((err: Error) => {
          throw new XdsConfigError(`listener ${name}`, `cannot bind ${config.host}:${config.port}: ${err.message}`);
        });
        bound.push(server);
        next.set(name, { server, source });
      }
    } catch (err) {
      await Promise.all(bound.map((s) => s.close(0)));
      throw err;
    }
    for (const step of plan) step();
    const gone = [...this.active.values()].filter((a) => !reused.has(a.server));
    this.active = next;
    for (const { server } of gone) void server.close(DRAIN_MS);
  }

  /** Route names the listeners' connection managers ask RDS for. */
  routeConfigNames(): string[] {
    const names = new Set<string>();
    for (const { server } of this.active.values()) {
      const routes = server.listener.hcm.routes;
      if (routes.kind === 'rds') names.add(routes.name);
    }
    return [...names].sort();
  }

  listeners(): ListenerInfo[] {
    return [...this.active.entries()].map(([name, { server }]) => ({ name, host: server.listener.host, port: server.port }));
  }

  async close(): Promise<void> {
    const all = [...this.active.values()];
    this.active.clear();
    await Promise.all(all.map(({ server }) => server.close(0)));
  }
}

function addressKey(listener: CompiledListener): string {
  return `${listener.host}:${listener.port}`;
}
