import type { Logger } from 'pino';
import { Labels } from '../../crd/constants.ts';
import { isAlreadyExists, isNotFound } from '../../kube/api-errors.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import type { Node } from '../../kube/wire.ts';
import { agentTaint, MACHINE_ID_ANNOTATION, newNodeObject, nodeLabels, type NodeIdentity } from './node-object.ts';

/** A Node of this name already belongs to another machine or domain: two agents must not share it. */
export class NodeNameConflictError extends Error {
  readonly nodeName: string;
  constructor(nodeName: string, detail: string) {
    super(
      `node "${nodeName}" is already registered by ${detail}; give this agent another node name (agent.node.nodeName in kuscia.yaml) ` +
        `or delete the stale node with "kubectl delete node ${nodeName}"`,
    );
    this.name = 'NodeNameConflictError';
    this.nodeName = nodeName;
  }
}

/**
 * Creates the agent's Node, or takes over the one an earlier run of the same agent left (same machine,
 * same domain): its labels and the agent taint are set again, other taints and labels an operator
 * added are kept. Returns the Node as stored.
 */
export async function registerNode(nodes: ResourceClient<Node>, id: NodeIdentity, log: Logger): Promise<Node> {
  let existing: Node;
  try {
    existing = await nodes.get('', id.nodeName);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      const created = await nodes.create(newNodeObject(id));
      log.info({ node: id.nodeName }, 'node registered');
      return created;
    } catch (createErr) {
      // Another agent won the race for the name: judge its node like any existing one.
      if (!isAlreadyExists(createErr)) throw createErr;
      existing = await nodes.get('', id.nodeName);
    }
  }
  refuseForeignNode(existing, id);
  const taints = existing.spec?.taints ?? [];
  const ours = agentTaint();
  const hasTaint = taints.some((t) => t.key === ours.key && t.effect === ours.effect && t.value === ours.value);
  const patch = {
    metadata: { labels: nodeLabels(id), annotations: { [MACHINE_ID_ANNOTATION]: id.machineId } },
    spec: hasTaint ? {} : { taints: [...taints.filter((t) => !(t.key === ours.key && t.effect === ours.effect)), ours] },
  };
  const updated = await nodes.patch('', id.nodeName, patch, { type: 'merge' });
  log.info({ node: id.nodeName }, 'node re-registered (left by an earlier run of this agent)');
  return updated;
}

function refuseForeignNode(node: Node, id: NodeIdentity): void {
  const owner = node.metadata?.annotations?.[MACHINE_ID_ANNOTATION] ?? node.status?.nodeInfo?.machineID;
  if (owner !== undefined && owner !== id.machineId) throw new NodeNameConflictError(id.nodeName, `another machine (machine id ${owner})`);
  const domain = node.metadata?.labels?.[Labels.NodeNamespace];
  if (domain !== undefined && domain !== id.domain) throw new NodeNameConflictError(id.nodeName, `the agent of domain "${domain}"`);
}
