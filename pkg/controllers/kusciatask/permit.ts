/**
 * Kuscia's permit plugins, run for every own party before anything of a task is created. A denied
 * permit makes the task wait (see pending.ts), not fail at once: room may be freed or added.
 * TODO(issue 6): the CDRCheckPlugin — every ClusterDomainRoute `<src>-<dst>` between the task's
 * domains must be Ready ("cdr-check X to Y failed with <reason>") — belongs to the gateway work.
 */
import { Labels } from '../../crd/index.ts';
import type { TaskControllerDeps } from './deps.ts';
import { BY_NODE } from './indexes.ts';
import { isNodeReady } from '../../kube/object-state.ts';
import { nodeFree, partyFitProblem, partyRequest } from './node-fit.ts';
import type { PartyKit } from './party-kit.ts';
import { owningTaskUID } from './task-objects.ts';

/**
 * The problems that forbid creating the task (empty: go ahead). The task's own pods do not count
 * against the nodes: after a restart they may exist already, and they are what is being checked.
 */
export function permitProblems(deps: TaskControllerDeps, kits: readonly PartyKit[], taskUID: string): string[] {
  const problems: string[] = [];
  for (const kit of kits) {
    if (kit.partner) continue;
    const nodes = deps.nodes
      .list()
      .filter((n) => n.metadata?.labels?.[Labels.NodeNamespace] === kit.domainID && isNodeReady(n))
      .map((n) => nodeFree(n, deps.pods.byIndex(BY_NODE, n.metadata?.name ?? '').filter((p) => owningTaskUID(p) !== taskUID)));
    // A domain without a Ready node (its agent not up yet) has nothing to measure against: the pods
    // are created and wait for the gang reservation, which the TaskResourceGroup's lifecycle bounds.
    if (nodes.length === 0) continue;
    const problem = partyFitProblem(kit.domainID, partyRequest(kit.template.spec.containers ?? [], kit.pods.length), nodes);
    if (problem) problems.push(problem);
  }
  return problems;
}
