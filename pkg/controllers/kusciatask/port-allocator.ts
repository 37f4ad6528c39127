/**
 * Real port numbers for the named ports of task pods (Kuscia: PortFlake). Kuscia keeps a pool per
 * namespace; here a number in use anywhere is never handed out twice, because in process mode the
 * pods of every domain of this deployment share one host and one port space.
 *
 * Everything is synchronous and in memory: choosing and recording a port happen in one turn of the
 * event loop, so reconciles running concurrently on other workers can never receive the same port.
 * The state is rebuilt on start from the tasks' status.allocatedPorts and the live pods (see
 * port-state.ts) and released when a task's pods are gone.
 */
import { PORT_POOL } from '../../crd/index.ts';

export interface PortOwner {
  taskName: string;
  taskUID: string;
}

/** The ports one namespace needs, keyed `<pod>/<port>`. */
export interface PortRequest {
  namespace: string;
  keys: readonly string[];
}

export interface PortHolding {
  taskName: string;
  taskUID: string;
  namespace: string;
  key: string;
}

export class PortPoolExhaustedError extends Error {
  readonly namespace: string;
  readonly requested: number;
  readonly inUse: number;
  constructor(namespace: string, requested: number, inUse: number, pool: { start: number; end: number }) {
    super(
      `no available port to allocate for namespace ${namespace}: ${requested} requested, ` +
        `${inUse} of ${pool.end - pool.start} ports of the pool ${pool.start}-${pool.end - 1} in use`,
    );
    this.name = 'PortPoolExhaustedError';
    this.namespace = namespace;
    this.requested = requested;
    this.inUse = inUse;
  }
}

interface OwnerRecord {
  taskName: string;
  /** `<namespace>\0<key>` → port. */
  ports: Map<string, number>;
}

export interface PortAllocatorOptions {
  /** [start, end); Kuscia's 20000–32766 by default. */
  pool?: { start: number; end: number };
  /** Where the search for free ports starts (Kuscia picks at random); tests may fix it. */
  random?: () => number;
}

export class PortAllocator {
  private readonly pool: { start: number; end: number };
  private readonly random: () => number;
  private readonly holders = new Map<number, PortHolding>();
  private readonly owners = new Map<string, OwnerRecord>();

  constructor(options: PortAllocatorOptions = {}) {
    this.pool = options.pool ?? PORT_POOL;
    this.random = options.random ?? Math.random;
  }

  get size(): number {
    return this.pool.end - this.pool.start;
  }

  get inUse(): number {
    return this.holders.size;
  }

  holderOf(port: number): PortHolding | undefined {
    return this.holders.get(port);
  }

  /** Task UIDs holding ports under this task name (a re-created task has a new UID). */
  ownersOf(taskName: string): string[] {
    return [...this.owners].filter(([, record]) => record.taskName === taskName).map(([uid]) => uid);
  }

  /**
   * Ports for every request, all or nothing. Idempotent: keys the owner already holds keep their
   * ports, so a reconcile that allocated but failed to record the result gets the same numbers again.
   * Returns namespace → key → port.
   */
  allocate(owner: PortOwner, requests: readonly PortRequest[]): Map<string, Record<string, number>> {
    const record = this.owners.get(owner.taskUID);
    const missing: Array<{ namespace: string; key: string }> = [];
    for (const { namespace, keys } of requests) {
      for (const key of keys) if (!record?.ports.has(slot(namespace, key))) missing.push({ namespace, key });
    }
    const free = this.size - this.holders.size;
    if (missing.length > free) throw new PortPoolExhaustedError(missing[0]!.namespace, missing.length, this.holders.size, this.pool);
    let cursor = this.pool.start + Math.floor(this.random() * this.size);
    for (const { namespace, key } of missing) {
      cursor = this.nextFree(cursor);
      this.record(owner, namespace, key, cursor);
      cursor++;
    }
    const ports = this.owners.get(owner.taskUID)?.ports;
    const result = new Map<string, Record<string, number>>();
    for (const { namespace, keys } of requests) {
      const byKey = result.get(namespace) ?? {};
      for (const key of keys) byKey[key] = ports!.get(slot(namespace, key))!;
      result.set(namespace, byKey);
    }
    return result;
  }

  /**
   * Records a port found in use (rebuilding state on start). False when another task already holds
   * it: the first holder keeps it, the caller reports the conflict.
   */
  reserve(owner: PortOwner, namespace: string, key: string, port: number): boolean {
    // Ports outside the pool were not handed out here and can never be.
    if (port < this.pool.start || port >= this.pool.end) return true;
    const holder = this.holders.get(port);
    if (holder) return holder.taskUID === owner.taskUID;
    this.record(owner, namespace, key, port);
    return true;
  }

  /** Frees every port of a task; returns them. */
  release(taskUID: string): number[] {
    const record = this.owners.get(taskUID);
    if (!record) return [];
    this.owners.delete(taskUID);
    const freed = [...record.ports.values()];
    for (const port of freed) this.holders.delete(port);
    return freed;
  }

  private record(owner: PortOwner, namespace: string, key: string, port: number): void {
    let record = this.owners.get(owner.taskUID);
    if (!record) this.owners.set(owner.taskUID, (record = { taskName: owner.taskName, ports: new Map() }));
    record.ports.set(slot(namespace, key), port);
    this.holders.set(port, { taskName: owner.taskName, taskUID: owner.taskUID, namespace, key });
  }

  /** The first free port at or after `from`, wrapping around (the caller checked one exists). */
  private nextFree(from: number): number {
    for (let i = 0; i < this.size; i++) {
      const port = this.pool.start + ((from - this.pool.start + i) % this.size);
      if (!this.holders.has(port)) return port;
    }
    throw new Error('port pool unexpectedly full');
  }
}

function slot(namespace: string, key: string): string {
  return `${namespace}\u0000${key}`;
}
