import type { Logger } from 'pino';
import { describeError, isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { Lease } from '../../kube/wire.ts';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLeaseOptions {
  leases: ResourceClient<Lease>;
  nodeName: string;
  /** The Node's current uid: the Lease is owned by the Node, so the garbage collector removes it with the node. */
  nodeUid: () => string;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  now: () => Date;
  log: Logger;
}

/** metav1.MicroTime: RFC 3339 with microseconds. */
export function microTime(d: Date): string {
  return d.toISOString().replace(/Z$/, '000Z');
}

/**
 * The node heartbeat of Kubernetes ≥1.17: a Lease `kube-node-lease/<node>` whose renewTime the agent
 * moves every renew interval. The node lifecycle controller marks the node NotReady once renewTime
 * is older than leaseDurationSeconds.
 */
export class NodeLease {
  private readonly opts: NodeLeaseOptions;
  private timer?: NodeJS.Timeout;
  private renewing?: Promise<void>;

  constructor(opts: NodeLeaseOptions) {
    this.opts = opts;
  }

  /** Renews once (the node is alive from its first heartbeat), then every renew interval. */
  async start(): Promise<void> {
    await this.renew();
    this.timer = setInterval(() => {
      if (!this.renewing) this.renewing = this.renew().finally(() => (this.renewing = undefined));
    }, this.opts.renewIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
  }

  async renew(): Promise<void> {
    const { leases, nodeName, leaseDurationSeconds, log } = this.opts;
    const renewTime = microTime(this.opts.now());
    try {
      // The owner is set on every renewal: a Lease left from a node of an earlier run names that node's uid.
      const patch = { metadata: { ownerReferences: this.ownerReferences() }, spec: { holderIdentity: nodeName, leaseDurationSeconds, renewTime } };
      await leases.patch(NODE_LEASE_NAMESPACE, nodeName, patch, { type: 'merge' });
      return;
    } catch (err) {
      if (!isNotFound(err)) {
        log.warn({ err: describeError(err), node: nodeName }, 'node lease renewal failed; retrying at the next interval');
        return;
      }
    }
    try {
      await leases.create({
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: {
          name: nodeName,
          namespace: NODE_LEASE_NAMESPACE,
          ownerReferences: this.ownerReferences(),
        },
        spec: { holderIdentity: nodeName, leaseDurationSeconds, renewTime },
      });
    } catch (err) {
      log.warn({ err: describeError(err), node: nodeName }, 'node lease creation failed; retrying at the next interval');
    }
  }

  private ownerReferences() {
    return [{ apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid: this.opts.nodeUid() }];
  }
}
