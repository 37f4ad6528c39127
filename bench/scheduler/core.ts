/**
 * The scheduler's own cost, without the API: the same cluster and gang shape placed straight on
 * the scheduler cache (label index, filter, least-allocated score, statement commit), the work the
 * scheduler does per gang between reading its pods and sending the bindings.
 */
import { Labels } from '../../pkg/crd/constants.ts';
import { SchedulerCache } from '../../pkg/scheduler/cache.ts';
import { podInfoOf } from '../../pkg/scheduler/filter.ts';
import { NodePicker, placeGang } from '../../pkg/scheduler/placement.ts';
import { QuantityReader } from '../../pkg/scheduler/resources.ts';
import { gangPods, type GangSpec } from '../../test/integration/scheduler/task-gang.ts';
import type { TestAgentNode } from '../../test/support/test-agent.ts';

export interface CoreResult {
  pods: number;
  placed: number;
  elapsedMs: number;
}

export function measureSchedulerCore(nodes: readonly TestAgentNode[], specs: readonly GangSpec[]): CoreResult {
  const reader = new QuantityReader();
  const cache = new SchedulerCache(reader);
  for (const n of nodes) {
    const allocatable = { cpu: n.cpu, memory: n.memory, pods: String(n.pods) };
    cache.upsertNode({
      metadata: { name: n.name, labels: { [Labels.NodeNamespace]: n.domain } },
      spec: { taints: [{ key: 'kuscia.secretflow/agent', value: 'v1', effect: 'NoSchedule' }] },
      status: { allocatable, capacity: allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  const picker = new NodePicker(cache);
  // Pods as the scheduler reads them (parsed once per attempt, as in the real path).
  const gangs = specs.map((spec) => {
    const pods = gangPods(spec);
    return spec.parties.map((party) => pods.filter((p) => p.metadata?.namespace === party.domain));
  });
  let pods = 0;
  let placed = 0;
  const t = performance.now();
  for (const parties of gangs) {
    for (const partyPods of parties) {
      const infos = partyPods.map((p) => podInfoOf(p, reader));
      pods += infos.length;
      const result = placeGang(cache, picker, infos, infos.length, 'bench');
      if (result.ok) placed += result.placements.length;
    }
  }
  return { pods, placed, elapsedMs: performance.now() - t };
}
