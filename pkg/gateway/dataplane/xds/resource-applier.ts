import { createHash } from 'node:crypto';
import { TypeUrl, type XdsTypeUrl } from '../../xds/envoy-protos.ts';
import { type ClusterConfig, compileCluster } from '../config/cluster-config.ts';
import type { CompileContext } from '../config/compile-context.ts';
import { XdsConfigError } from '../config/config-error.ts';
import { compileLoadAssignment, type EndpointConfig } from '../config/endpoints-config.ts';
import { type CompiledListener, compileListener } from '../config/listener-config.ts';
import { asString, type Msg } from '../config/proto-values.ts';
import { CompiledRouteConfig } from '../config/route-config.ts';
import type { ListenerManager } from '../proxy/listener-manager.ts';
import type { ClusterManager } from '../upstream/cluster-manager.ts';

/** A resource as it came off the wire: its bytes (for change detection) and its decoded body. */
export interface DecodedResource {
  bytes: Uint8Array;
  /** The resource's name when known without decoding (lazy-resource.ts). */
  name?: string;
  body: Msg;
}

interface Compiled<T> {
  config: T;
  source: string;
}

/**
 * Applies xDS updates, one type at a time and all-or-nothing: every resource of an update is
 * compiled first, and only if all compile (and every new listener could bind) does the update
 * replace what is in service — otherwise it throws XdsConfigError (the ADS client NACKs) and the
 * previous configuration stays. LDS and CDS updates are complete states (absence = removal); RDS
 * and EDS updates name the resources they carry. A resource whose bytes did not change keeps its
 * compiled form and its run-time objects (connections, health, sockets).
 */
export class ResourceApplier {
  private readonly ctx: CompileContext;
  private readonly clusters: ClusterManager;
  private readonly listeners: ListenerManager;
  private clusterConfigs = new Map<string, Compiled<ClusterConfig>>();
  private listenerConfigs = new Map<string, Compiled<CompiledListener>>();
  private readonly routes = new Map<string, Compiled<CompiledRouteConfig>>();
  private readonly assignments = new Map<string, string>();

  constructor(ctx: CompileContext, clusters: ClusterManager, listeners: ListenerManager) {
    this.ctx = ctx;
    this.clusters = clusters;
    this.listeners = listeners;
  }

  routeConfig(name: string): CompiledRouteConfig | undefined {
    return this.routes.get(name)?.config;
  }

  async apply(typeUrl: XdsTypeUrl, resources: readonly DecodedResource[]): Promise<void> {
    switch (typeUrl) {
      case TypeUrl.Cluster:
        return this.applyClusters(resources);
      case TypeUrl.ClusterLoadAssignment:
        return this.applyAssignments(resources);
      case TypeUrl.Listener:
        return this.applyListeners(resources);
      case TypeUrl.RouteConfiguration:
        return this.applyRoutes(resources);
    }
  }

  /** Forgets EDS/RDS resources no longer subscribed (SotW: dropping the reference deletes them). */
  retain(typeUrl: XdsTypeUrl, names: readonly string[]): void {
    const keep = new Set(names);
    if (typeUrl === TypeUrl.RouteConfiguration) {
      for (const name of [...this.routes.keys()]) if (!keep.has(name)) this.routes.delete(name);
    }
    if (typeUrl === TypeUrl.ClusterLoadAssignment) {
      const removed = [...this.assignments.keys()].filter((name) => !keep.has(name));
      for (const name of removed) this.assignments.delete(name);
      if (removed.length > 0) this.clusters.setAssignments(new Map(removed.map((name) => [name, undefined])));
    }
  }

  private applyClusters(resources: readonly DecodedResource[]): void {
    const next = this.compileAll(resources, 'name', this.clusterConfigs, (name, body) => compileCluster(name, body, this.ctx));
    this.clusterConfigs = next;
    this.clusters.setClusters(next);
  }

  private applyAssignments(resources: readonly DecodedResource[]): void {
    const compiled = new Map<string, readonly EndpointConfig[]>();
    const sources = new Map<string, string>();
    for (const resource of resources) {
      const name = nameOf(resource, 'clusterName');
      if (compiled.has(name)) throw new XdsConfigError(`cluster load assignment ${name}`, 'duplicate resource name in one update');
      const source = sourceOf(resource);
      if (this.assignments.get(name) === source) continue;
      compiled.set(name, compileLoadAssignment(resource.body, `cluster load assignment ${name}`, this.ctx));
      sources.set(name, source);
    }
    for (const [name, source] of sources) this.assignments.set(name, source);
    this.clusters.setAssignments(compiled);
  }

  private async applyListeners(resources: readonly DecodedResource[]): Promise<void> {
    const next = this.compileAll(resources, 'name', this.listenerConfigs, (name, body) => compileListener(name, body, this.ctx));
    await this.listeners.setListeners(next);
    this.listenerConfigs = next;
  }

  private applyRoutes(resources: readonly DecodedResource[]): void {
    const compiled = new Map<string, Compiled<CompiledRouteConfig>>();
    for (const resource of resources) {
      const name = nameOf(resource, 'name');
      if (compiled.has(name)) throw new XdsConfigError(`route configuration ${name}`, 'duplicate resource name in one update');
      const source = sourceOf(resource);
      const current = this.routes.get(name);
      compiled.set(name, current?.source === source ? current : { config: new CompiledRouteConfig(name, resource.body, this.ctx), source });
    }
    // One assignment per name: a request reads the table once, so it never sees half an update.
    for (const [name, route] of compiled) this.routes.set(name, route);
  }

  /** Compiles a complete state, reusing unchanged resources; throws before anything is replaced. */
  private compileAll<T>(resources: readonly DecodedResource[], nameField: string, current: ReadonlyMap<string, Compiled<T>>, compile: (name: string, body: Msg) => T): Map<string, Compiled<T>> {
    const next = new Map<string, Compiled<T>>();
    for (const resource of resources) {
      const name = nameOf(resource, nameField);
      if (next.has(name)) throw new XdsConfigError(name, 'duplicate resource name in one update');
      const source = sourceOf(resource);
      const existing = current.get(name);
      next.set(name, existing?.source === source ? existing : { config: compile(name, resource.body), source });
    }
    return next;
  }
}

function nameOf(resource: DecodedResource, field: string): string {
  const name = resource.name ?? asString(resource.body[field]);
  if (!name) throw new XdsConfigError('resource', `a resource without ${field}`);
  return name;
}

function sourceOf(resource: DecodedResource): string {
  return createHash('sha256').update(resource.bytes).digest('base64');
}
