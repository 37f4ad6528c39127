/**
 * A task's pods and TaskResourceGroup created the way the KusciaTask controller creates them
 * (pods `<task>-<role>-<idx>` not yet linked to a TaskResource, then the group), for the scheduler's
 * integration tests and its benchmark.
 */
import type { KusciaClients } from '../../../pkg/controllers/common/clients.ts';
import { AgentTaint, Annotations, API_VERSION, KUSCIA_SCHEDULER_NAME, Labels } from '../../../pkg/crd/constants.ts';
import type { TaskResourceGroup } from '../../../pkg/crd/resource.ts';
import type { Pod } from '../../../pkg/kube/wire.ts';

export interface GangParty {
  domain: string;
  pods: number;
  /** Per pod. */
  cpu?: string;
  memory?: string;
  role?: string;
  minReservedPods?: number;
}

export interface GangSpec {
  task: string;
  initiator?: string;
  parties: GangParty[];
  minReservedMembers?: number;
  resourceReservedSeconds?: number;
  lifecycleSeconds?: number;
  retryIntervalSeconds?: number;
  priority?: number;
}

export function gangPodName(task: string, party: GangParty, index: number): string {
  return `${task}-${party.role ?? 'party'}-${index}`;
}

export function gangPods(spec: GangSpec): Pod[] {
  return spec.parties.flatMap((party) =>
    Array.from({ length: party.pods }, (_, i): Pod => {
      const requests: Record<string, string> = {};
      if (party.cpu) requests['cpu'] = party.cpu;
      if (party.memory) requests['memory'] = party.memory;
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: gangPodName(spec.task, party, i),
          namespace: party.domain,
          labels: { [Labels.TaskResourceUID]: '', [Labels.Controller]: 'kusciatask' },
          annotations: { [Annotations.TaskResourceGroup]: spec.task, [Annotations.TaskResource]: '', [Annotations.TaskID]: spec.task, [Annotations.Initiator]: spec.initiator ?? spec.parties[0]!.domain },
        },
        spec: {
          schedulerName: KUSCIA_SCHEDULER_NAME,
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          priority: spec.priority,
          tolerations: [{ key: AgentTaint.key, operator: 'Exists', effect: 'NoSchedule' }],
          nodeSelector: { [Labels.NodeNamespace]: party.domain },
          containers: [{ name: 'main', image: 'secretflow/app:1.0', resources: { requests } }],
        },
      };
    }),
  );
}

export function gangGroup(spec: GangSpec): TaskResourceGroup {
  return {
    apiVersion: API_VERSION,
    kind: 'TaskResourceGroup',
    metadata: { name: spec.task, annotations: { [Annotations.TaskID]: spec.task } },
    spec: {
      minReservedMembers: spec.minReservedMembers ?? spec.parties.length,
      resourceReservedSeconds: spec.resourceReservedSeconds,
      lifecycleSeconds: spec.lifecycleSeconds,
      retryIntervalSeconds: spec.retryIntervalSeconds,
      initiator: spec.initiator ?? spec.parties[0]!.domain,
      parties: spec.parties.map((party) => ({
        domainID: party.domain,
        role: party.role ?? 'party',
        minReservedPods: party.minReservedPods ?? party.pods,
        pods: Array.from({ length: party.pods }, (_, i) => ({ name: gangPodName(spec.task, party, i) })),
      })),
    },
  };
}

/** Creates the pods (in parallel), then the group, as the KusciaTask controller does. */
export async function createGang(clients: KusciaClients, spec: GangSpec): Promise<void> {
  await Promise.all(gangPods(spec).map((pod) => clients.pods.create(pod)));
  await clients.taskResourceGroups.create(gangGroup(spec));
}
