/**
 * Node lifecycle (kube-controller-manager's node lifecycle controller, the part Kuscia relies on):
 * a node whose agent stopped renewing its Lease in kube-node-lease for longer than the grace period
 * gets every condition Unknown and the `node.kubernetes.io/unreachable` NoSchedule/NoExecute taints,
 * and its unfinished pods are failed (NodeLost) so their KusciaTasks see them fail. When the Lease is
 * renewed again the taints go; the agent itself reports Ready=True.
 */
import { isConflict, isNotFound } from '../../kube/api-errors.ts';
import { Controller } from '../../kube/controller.ts';
import { splitObjectKey } from '../../kube/object-key.ts';
import { CoreResources } from '../../kube/resources.ts';
import { updateStatusWithRetry } from '../../kube/status-update.ts';
import type { Lease, Node, Pod } from '../../kube/wire.ts';
import { rfc3339, type ControllerContext, type KusciaController } from '../common/controller-context.ts';
import { isTerminal, lostPodStatus } from './lost-pods.ts';
import { NodeHealthTracker } from './node-health.ts';
import { hasUnreachableTaints, isMarkedUnknown, markConditionsUnknown, withoutUnreachableTaints, withUnreachableTaints } from './unreachable-node.ts';

export const NODE_LIFECYCLE_CONTROLLER_NAME = 'nodelifecycle';
/** kube-controller-manager's --node-monitor-grace-period default. */
export const DEFAULT_NODE_MONITOR_GRACE_MS = 40_000;
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLifecycleOptions {
  /** How long a node may stay silent (no Lease renewal, no Ready heartbeat) before it is unreachable. */
  gracePeriodMs?: number;
}

export function newNodeLifecycleController(ctx: ControllerContext, options: NodeLifecycleOptions = {}): KusciaController {
  const graceMs = options.gracePeriodMs ?? DEFAULT_NODE_MONITOR_GRACE_MS;
  const log = ctx.log.child({ component: NODE_LIFECYCLE_CONTROLLER_NAME });
  const nodes = ctx.informers.informerFor<Node>(CoreResources.nodes);
  const leases = ctx.informers.informerFor<Lease>(CoreResources.leases, { namespace: NODE_LEASE_NAMESPACE });
  const health = new NodeHealthTracker();
  const now = () => rfc3339(ctx.now());

  const controller = new Controller({
    name: NODE_LIFECYCLE_CONTROLLER_NAME,
    log: ctx.log,
    workers: 2,
    reconcile: async (key) => {
      const { name } = splitObjectKey(key);
      const node = nodes.get('', name);
      if (!node) return health.forget(name);
      const silentMs = health.silentFor(name, ctx.now());
      if (silentMs <= graceMs) {
        if (hasUnreachableTaints(node)) await setTaints(node, withoutUnreachableTaints(node), 'lease renewed again: unreachable taints removed');
        // Look again the moment the grace would run out without news.
        controller.queue.addAfter(key, graceMs - silentMs + 50);
        return;
      }
      if (!isMarkedUnknown(node)) {
        await updateStatusWithRetry(ctx.clients.nodes, '', name, (n) => markConditionsUnknown(n, now()), { current: node });
        log.warn({ node: name, silentMs }, 'node stopped renewing its lease: conditions Unknown');
      }
      if (!hasUnreachableTaints(node)) await setTaints(node, withUnreachableTaints(node, now()), 'node unreachable: tainted');
      await failPodsOf(name);
    },
  });

  async function setTaints(node: Node, taints: NonNullable<Node['spec']>['taints'], message: string): Promise<void> {
    // Conditional on the version decided from: a conflict retries the reconcile on fresh state.
    await ctx.clients.nodes.patch('', node.metadata!.name!, { metadata: { resourceVersion: node.metadata!.resourceVersion }, spec: { taints } });
    log.info({ node: node.metadata!.name }, message);
  }

  async function failPodsOf(nodeName: string): Promise<void> {
    const pods = await ctx.clients.pods.list(undefined, { fieldSelector: `spec.nodeName=${nodeName}` });
    for (const pod of pods.items as Pod[]) {
      const namespace = pod.metadata!.namespace!;
      const name = pod.metadata!.name!;
      try {
        if (!isTerminal(pod)) {
          await updateStatusWithRetry(ctx.clients.pods, namespace, name, (p) => {
            if (isTerminal(p) || p.spec?.nodeName !== nodeName) return false;
            p.status = lostPodStatus(p, nodeName, now());
          }, { current: pod });
          log.info({ node: nodeName, namespace, pod: name }, 'pod on unreachable node marked Failed (NodeLost)');
        }
        // A graceful deletion waits for the node's agent to confirm it; that agent is gone.
        if (pod.metadata?.deletionTimestamp) await ctx.clients.pods.delete(namespace, name, { gracePeriodSeconds: 0, uid: pod.metadata.uid });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
    }
  }

  nodes.addEventHandler({
    onAdd: (node) => {
      health.observeNode(node, ctx.now());
      controller.enqueue(node.metadata!.name!);
    },
    onUpdate: (_old, node) => {
      health.observeNode(node, ctx.now());
      controller.enqueue(node.metadata!.name!);
    },
    onDelete: (node) => health.forget(node.metadata!.name!),
  });
  const onLease = (lease: Lease) => {
    if (health.observeLease(lease, ctx.now()) && lease.metadata?.name) controller.enqueue(lease.metadata.name);
  };
  leases.addEventHandler({ onAdd: onLease, onUpdate: (_old, lease) => onLease(lease) });

  return {
    name: NODE_LIFECYCLE_CONTROLLER_NAME,
    run: () => controller.run(),
    stop: () => controller.stop(),
  };
}
