/**
 * The ResourceCreated step of a Pending task (Kuscia: createTaskResources): after the permit check,
 * per own party the ConfigMaps, the pods and their Services, then the TaskResourceGroup. Every
 * create is create-if-absent by deterministic name, so a controller restarted half-way finishes the
 * job without duplicating anything.
 */
import type { KusciaTask, TaskPodStatus, TaskServiceStatus } from '../../crd/index.ts';
import { KUSCIA_SCHEDULER_NAME, partnerSchedulerName } from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import { allocatedPortsConfig, clusterDefineParty, podClusterDefine, toProtoJson, type ClusterDefineParty } from './cluster-define.ts';
import { configTemplateConfigMap, generatedConfigMap, usesConfigTemplates } from './configmaps.ts';
import type { TaskControllerDeps } from './deps.ts';
import { ensureObject } from './ensure-object.ts';
import { PermitDeniedError, TaskCreateError } from './errors.ts';
import type { PartyKit } from './party-kit.ts';
import { permitProblems } from './permit.ts';
import { buildPod } from './pods.ts';
import { resolvePodPorts, type ResolvedPort } from './port-assignment.ts';
import { podStatusOf, serviceStatusOf } from './resource-status.ts';
import { buildService, isServiceOfPod } from './services.ts';
import { buildTaskResourceGroup } from './task-resource-group.ts';

export interface CreatedResources {
  podStatuses: Record<string, TaskPodStatus>;
  serviceStatuses: Record<string, TaskServiceStatus>;
}

export async function createTaskResources(deps: TaskControllerDeps, task: KusciaTask, kits: readonly PartyKit[]): Promise<CreatedResources> {
  const problems = permitProblems(deps, kits, task.metadata.uid ?? '');
  if (problems.length > 0) throw new PermitDeniedError(problems);
  const portsByKit = kits.map((kit) => kit.pods.map((pod) => resolvePodPorts(task.status?.allocatedPorts, kit, pod)));
  const parties = kits.map((kit, i) => clusterDefineParty(kit, portsByKit[i]!));
  const created: CreatedResources = { podStatuses: {}, serviceStatuses: {} };
  for (const [i, kit] of kits.entries()) {
    if (kit.partner) continue;
    try {
      await createPartyResources(deps, task, kit, i, parties, portsByKit[i]!, created);
    } catch (err) {
      throw new TaskCreateError(`failed to create resource for party '${kit.domainID}/${kit.role}', ${(err as Error).message}`, { cause: err });
    }
  }
  const trg = buildTaskResourceGroup(task, kits);
  try {
    await ensureObject(deps.taskResourceGroups, deps.clients.taskResourceGroups, trg, task.metadata.uid ?? '');
  } catch (err) {
    throw new TaskCreateError(`failed to create task resource group for kuscia task ${task.metadata.name}, ${(err as Error).message}`, { cause: err });
  }
  return created;
}

async function createPartyResources(
  deps: TaskControllerDeps,
  task: KusciaTask,
  kit: PartyKit,
  partyIdx: number,
  parties: ClusterDefineParty[],
  portsByPod: ResolvedPort[][],
  created: CreatedResources,
): Promise<void> {
  const uid = task.metadata.uid ?? '';
  const templates = configTemplateConfigMap(task, kit);
  if (templates) await ensureObject(deps.configMaps, deps.clients.configMaps, templates, uid);
  const mountTemplates = templates !== undefined && usesConfigTemplates(kit);
  for (const [podIdx, podKit] of kit.pods.entries()) {
    const ports = portsByPod[podIdx]!;
    const clusterDefine = toProtoJson(podClusterDefine(parties, partyIdx, podIdx));
    const allocatedPorts = toProtoJson(allocatedPortsConfig(ports));
    // One values ConfigMap per party and namespace, as in Kuscia: the first pod's values win.
    if (mountTemplates) await ensureObject(deps.configMaps, deps.clients.configMaps, generatedConfigMap(task, kit, { clusterDefine, allocatedPorts }), uid);
    const desired = buildPod({
      task,
      kit,
      pod: podKit,
      ports,
      schedulerName: kit.partner ? partnerSchedulerName(kit.domainID) : KUSCIA_SCHEDULER_NAME,
      clusterDefine,
      allocatedPorts,
      configTemplates: mountTemplates,
    });
    const pod: Pod = await ensureObject(deps.pods, deps.clients.pods, desired, uid);
    created.podStatuses[`${kit.domainID}/${podKit.name}`] = podStatusOf(pod);
    for (const port of kit.servicedPorts) {
      const resolved = ports.find((p) => p.name === port.name)!;
      const name = podKit.serviceNames[port.name]!;
      const service = await ensureObject(deps.services, deps.clients.services, buildService(task, kit, pod, name, resolved), uid, (existing) =>
        isServiceOfPod(existing, pod),
      );
      created.serviceStatuses[`${kit.domainID}/${name}`] = serviceStatusOf(service, resolved);
    }
  }
}
