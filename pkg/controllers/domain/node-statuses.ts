import { DomainNodeState, type DomainNodeStatus } from '../../crd/index.ts';
import type { Node } from '../../kube/wire.ts';

/**
 * `status.nodeStatuses` from the domain's Nodes, sorted by name so equal states compare equal. A
 * Node without a Ready condition (an agent that never reported) counts as NotReady.
 */
export function nodeStatusesFrom(nodes: readonly Node[]): DomainNodeStatus[] {
  return nodes
    .map((node) => {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      const entry: DomainNodeStatus = {
        name: node.metadata?.name ?? '',
        version: node.status?.nodeInfo?.kubeletVersion ?? '',
        status: ready?.status === 'True' ? DomainNodeState.Ready : DomainNodeState.NotReady,
      };
      if (ready?.lastHeartbeatTime) entry.lastHeartbeatTime = ready.lastHeartbeatTime;
      if (ready?.lastTransitionTime) entry.lastTransitionTime = ready.lastTransitionTime;
      return entry;
    })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
