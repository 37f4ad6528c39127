/** Which pods this scheduler places: its schedulerName, and not in a partner's namespace. */
import { objectKey } from '../kube/object-key.ts';
import { isPodTerminal } from '../kube/object-state.ts';
import type { Pod } from '../kube/wire.ts';
import type { SchedulerContext } from './scheduler-context.ts';

export function isOurs(ctx: SchedulerContext, pod: Pod): boolean {
  if (pod.spec?.schedulerName !== ctx.schedulerName) return false;
  const ns = pod.metadata?.namespace ?? '';
  // Kuscia's PreFilter: a partner domain's pods are not scheduled locally.
  if (ctx.informers.partnerNamespaces.get('', ns)) {
    ctx.log.debug({ pod: objectKey(pod) }, `skip schedule partner namespace ${ns} pod`);
    return false;
  }
  return true;
}

/** Ours and still waiting for a node. */
export function isPendingOurs(ctx: SchedulerContext, pod: Pod): boolean {
  return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && !isPodTerminal(pod) && isOurs(ctx, pod);
}
