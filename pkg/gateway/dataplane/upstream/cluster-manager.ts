import type { Logger } from 'pino';
import type { ClusterConfig } from '../config/cluster-config.ts';
import type { EndpointConfig } from '../config/endpoints-config.ts';
import { ActiveCluster, type ClusterStats } from './active-cluster.ts';

/**
 * The clusters in service. CDS replaces the set (unchanged clusters keep their objects, hence
 * their connections and health); EDS assignments are kept by service name independently of the
 * clusters, so an EDS cluster that is replaced finds its endpoints at once. A request holds the
 * ActiveCluster it started with, so replacing a cluster never cuts a request in flight.
 */
export class ClusterManager {
  private readonly log: Logger;
  private clusters = new Map<string, { cluster: ActiveCluster; source: string }>();
  private readonly assignments = new Map<string, readonly EndpointConfig[]>();

  constructor(log: Logger) {
    this.log = log;
  }

  get(name: string): ActiveCluster | undefined {
    return this.clusters.get(name)?.cluster;
  }

  /** Applies a complete CDS state. `source` identifies the resource version (unchanged → kept). */
  setClusters(configs: ReadonlyMap<string, { config: ClusterConfig; source: string }>): void {
    const next = new Map<string, { cluster: ActiveCluster; source: string }>();
    for (const [name, { config, source }] of configs) {
      const current = this.clusters.get(name);
      if (current && current.source === source) {
        next.set(name, current);
        continue;
      }
      const endpoints = config.type === 'EDS' ? (this.assignments.get(config.edsServiceName ?? name) ?? []) : config.endpoints;
      next.set(name, { cluster: new ActiveCluster(config, endpoints, this.log, current?.cluster), source });
    }
    for (const [name, current] of this.clusters) {
      if (next.get(name) !== current) current.cluster.retire();
    }
    this.clusters = next;
  }

  /** Applies ClusterLoadAssignments (by service name); `undefined` removes an assignment. */
  setAssignments(assignments: ReadonlyMap<string, readonly EndpointConfig[] | undefined>): void {
    for (const [serviceName, endpoints] of assignments) {
      if (endpoints) this.assignments.set(serviceName, endpoints);
      else this.assignments.delete(serviceName);
      for (const { cluster } of this.clusters.values()) {
        if (cluster.config.type === 'EDS' && cluster.config.edsServiceName === serviceName) cluster.setEndpoints(endpoints ?? []);
      }
    }
  }

  /** The EDS service names the clusters need (what the ADS client subscribes to). */
  edsServiceNames(): string[] {
    const names = new Set<string>();
    for (const { cluster } of this.clusters.values()) if (cluster.config.edsServiceName) names.add(cluster.config.edsServiceName);
    return [...names].sort();
  }

  stats(): ClusterStats[] {
    return [...this.clusters.values()].map(({ cluster }) => cluster.stats());
  }

  close(): void {
    for (const { cluster } of this.clusters.values()) cluster.retire();
    this.clusters.clear();
  }
}
