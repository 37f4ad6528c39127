import type { ClusterConfig } from '../config/cluster-config.ts';
import type { UpstreamHost } from './upstream-host.ts';

/**
 * Picks a host: the first priority level with a healthy host (priority 0 first); within it, the
 * healthy hosts — or all of them when fewer than the panic threshold are healthy (Envoy's panic
 * mode: better to try every host than to refuse everything). Round robin, random, or least request
 * (the less loaded of two random hosts).
 */
export class LoadBalancer {
  private readonly policy: ClusterConfig['lbPolicy'];
  private readonly panicThresholdPercent: number;
  private next = 0;

  constructor(config: Pick<ClusterConfig, 'lbPolicy' | 'panicThresholdPercent'>) {
    this.policy = config.lbPolicy;
    this.panicThresholdPercent = config.panicThresholdPercent;
  }

  choose(hosts: readonly UpstreamHost[]): UpstreamHost | undefined {
    const candidates = this.candidates(hosts);
    if (candidates.length === 0) return undefined;
    switch (this.policy) {
      case 'RANDOM':
        return candidates[Math.floor(Math.random() * candidates.length)];
      case 'LEAST_REQUEST': {
        const a = candidates[Math.floor(Math.random() * candidates.length)];
        const b = candidates[Math.floor(Math.random() * candidates.length)];
        return a.activeRequests <= b.activeRequests ? a : b;
      }
      default:
        this.next = (this.next + 1) % candidates.length;
        return candidates[this.next];
    }
  }

  private candidates(hosts: readonly UpstreamHost[]): readonly UpstreamHost[] {
    if (hosts.length === 0) return [];
    const priorities = [...new Set(hosts.map((h) => h.priority))].sort((a, b) => a - b);
    for (const priority of priorities) {
      const level = hosts.filter((h) => h.priority === priority);
      const healthy = level.filter((h) => h.healthy);
      if (healthy.length === 0) continue;
      return (healthy.length * 100) / level.length < this.panicThresholdPercent ? level : healthy;
    }
    // Nothing healthy anywhere: panic over the first level, unless panic mode is disabled.
    return this.panicThresholdPercent > 0 ? hosts.filter((h) => h.priority === priorities[0]) : [];
  }
}
