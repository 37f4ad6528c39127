/**
 * What each watch event changes: the cache's bound pods and nodes, dropped assumptions, and units put
 * back in the queue. Handlers only record and enqueue; decisions happen in the scheduling loop.
 */
import { objectKey } from '../kube/object-key.ts';
import { isPodTerminal } from '../kube/object-state.ts';
import type { Pod } from '../kube/wire.ts';
import { dropAssumption, forgetGang } from './gang.ts';
import { isOurs } from './pod-ownership.ts';
import { podRequests } from './resources.ts';
import type { SchedulerContext } from './scheduler-context.ts';
import { enqueueGang, enqueueNamespace, enqueuePod, placementKeyOf } from './scheduling-units.ts';

export function wireInformerEvents(ctx: SchedulerContext): void {
  const { pods, taskResources, nodes, partnerNamespaces } = ctx.informers;
  pods.addEventHandler({
    onAdd: (pod) => onPod(ctx, undefined, pod),
    onUpdate: (old, pod) => onPod(ctx, old, pod),
    onDelete: (pod) => onPodDeleted(ctx, pod),
  });
  taskResources.addEventHandler({
    onAdd: (tr) => enqueueGang(ctx, objectKey(tr)),
    onUpdate: (old, tr) => {
      // Only a phase change (or a resync) is worth an attempt; our own reason-only writes are not.
      if (old === tr || old.status?.phase !== tr.status?.phase) enqueueGang(ctx, objectKey(tr));
    },
    onDelete: (tr) => forgetGang(ctx, objectKey(tr)),
  });
  nodes.addEventHandler({
    onAdd: (node) => ctx.cache.upsertNode(node),
    onUpdate: (_old, node) => ctx.cache.upsertNode(node),
    onDelete: (node) => ctx.cache.deleteNode(node.metadata?.name ?? ''),
  });
  partnerNamespaces.addEventHandler({
    // A namespace that stops being a partner's may hold pods that are ours after all.
    onDelete: (ns) => enqueueNamespace(ctx, ns.metadata?.name ?? ''),
  });
}

function onPod(ctx: SchedulerContext, old: Pod | undefined, pod: Pod): void {
  const key = objectKey(pod);
  const nodeName = pod.spec?.nodeName;
  const terminal = isPodTerminal(pod);
  if (nodeName) {
    // Bound by us or anyone else: it uses the node's capacity until it finishes.
    if (terminal) ctx.cache.observeGone(key);
    else ctx.cache.observeBound(key, nodeName, () => podRequests(pod, ctx.cache.reader));
    return;
  }
  if (terminal || pod.metadata?.deletionTimestamp) {
    dropAssumption(ctx, key);
    return;
  }
  if (!isOurs(ctx, pod)) return;
  // Status-only updates (our own PodScheduled condition, for one) change nothing about placement.
  if (old && old !== pod && isOurs(ctx, old) && !old.spec?.nodeName && placementKeyOf(old) === placementKeyOf(pod)) return;
  enqueuePod(ctx, pod);
}

function onPodDeleted(ctx: SchedulerContext, pod: Pod): void {
  const key = objectKey(pod);
  dropAssumption(ctx, key);
  ctx.cache.observeGone(key);
  ctx.reporter.forget(key);
}
