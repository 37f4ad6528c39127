import type { Logger } from 'pino';
import { describeError, isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { Node } from '../../kube/wire.ts';
import { conditionsWithoutHeartbeat, nodeConditions, type PressureSample } from './node-conditions.ts';
import { nodeStatus, type NodeIdentity } from './node-object.ts';
import type { NodeResources } from './node-resources.ts';

export interface NodeStatusReporterOptions {
  nodes: ResourceClient<Node>;
  identity: NodeIdentity;
  resources: NodeResources;
  kubeletPort: number;
  measure: () => Promise<PressureSample>;
  /** How often the status is recomputed (kubelet: nodeStatusUpdateFrequency 10 s). */
  checkIntervalMs: number;
  /** Written at least this often even when nothing changed (a heartbeat for readers of conditions). */
  reportIntervalMs: number;
  now: () => Date;
  log: Logger;
  /** Called when the Node is found deleted (someone removed it): the agent registers it again. */
  onNodeMissing: () => Promise<void>;
}

/** RFC 3339 to the second, as metav1.Time serializes. */
export function apiTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}

/**
 * Keeps nodes/status current: recomputed every check interval, written when it changed (a
 * condition flipped) or when the last write is older than the report interval.
 */
export class NodeStatusReporter {
  private readonly opts: NodeStatusReporterOptions;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private lastWrittenAt = 0;

  constructor(opts: NodeStatusReporterOptions) {
    this.opts = opts;
  }

  async start(): Promise<void> {
    await this.report(true);
    this.timer = setInterval(() => {
      if (!this.running) this.running = this.report(false).finally(() => (this.running = undefined));
    }, this.opts.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /**
   * Reads the Node, recomputes its status and writes it if due; `force` writes regardless. Compared
   * with the Node as stored (not with what this agent last wrote), so a status another component
   * changed — Ready=Unknown from the node lifecycle controller while the agent was unreachable — is
   * corrected at the next check, and a deleted Node is noticed and registered again.
   */
  async report(force: boolean): Promise<void> {
    const { nodes, identity, log } = this.opts;
    try {
      const now = this.opts.now();
      const current = await nodes.get('', identity.nodeName);
      const conditions = nodeConditions(await this.opts.measure(), current.status?.conditions, apiTime(now));
      const status = nodeStatus(identity, { resources: this.opts.resources, conditions, kubeletPort: this.opts.kubeletPort });
      const changed = comparable(status) !== comparable(current.status);
      if (!force && !changed && now.getTime() - this.lastWrittenAt < this.opts.reportIntervalMs) return;
      await nodes.patch('', identity.nodeName, { status }, { type: 'merge', subresource: 'status' });
      this.lastWrittenAt = now.getTime();
    } catch (err) {
      if (isNotFound(err)) {
        log.warn({ node: identity.nodeName }, 'node is gone while the agent runs; registering it again');
        await this.opts.onNodeMissing().catch((e: unknown) => log.error({ err: describeError(e) }, 'node re-registration failed'));
        return;
      }
      log.warn({ err: describeError(err), node: identity.nodeName }, 'node status update failed; retrying');
    }
  }
}

/** What "the status changed" is judged on: everything the agent writes except heartbeat times. */
function comparable(status: Node['status']): string {
  return JSON.stringify([
    conditionsWithoutHeartbeat(status?.conditions),
    status?.capacity,
    status?.allocatable,
    status?.addresses,
    status?.daemonEndpoints?.kubeletEndpoint?.Port,
  ]);
}
