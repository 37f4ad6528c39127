/**
 * The Pod of one replica of a party (Kuscia: PendingHandler.generatePod). The labels and
 * annotations are the contract with the TaskResourceGroup controller (task-resource-group, the
 * empty task-resource / task-resource-uid it fills in), the scheduler (schedulerName, toleration,
 * nodeSelector), the gateway (pod-identity) and the agent (image-id, config templates).
 */
import {
  AgentTaint,
  Annotations,
  Env,
  Labels,
  portNumberEnvName,
  type Container,
  type KusciaTask,
  type Quantity,
} from '../../crd/index.ts';
import type { Pod } from '../../kube/wire.ts';
import { CONFIG_TEMPLATE_VOLUME, configTemplateConfigMapName, generatedConfigMapName } from './names.ts';
import type { PartyKit, PodKit } from './party-kit.ts';
import type { ResolvedPort } from './port-assignment.ts';
import { taskObjectLabels } from './task-objects.ts';

type PodContainer = NonNullable<NonNullable<Pod['spec']>['containers']>[number];
type EnvVar = NonNullable<PodContainer['env']>[number];

export interface PodInput {
  task: KusciaTask;
  kit: PartyKit;
  pod: PodKit;
  /** The pod's ports with their allocated numbers. */
  ports: readonly ResolvedPort[];
  /** kuscia-scheduler, or `<domain>-kuscia-scheduler` in a partner namespace. */
  schedulerName: string;
  /** protojson of the pod's ClusterDefine and AllocatedPorts. */
  clusterDefine: string;
  allocatedPorts: string;
  /** Mount the config templates (the party's ConfigMaps exist). */
  configTemplates: boolean;
}

export function buildPod(input: PodInput): Pod {
  const { task, kit, pod } = input;
  const taskName = task.metadata.name ?? '';
  const annotations: Record<string, string> = {
    [Annotations.Initiator]: task.spec.initiator,
    [Annotations.TaskID]: taskName,
    [Annotations.TaskResourceGroup]: taskName,
    // Filled in by the TaskResourceGroup controller; until then the scheduler leaves the pod alone.
    [Annotations.TaskResource]: '',
  };
  if (kit.imageID) annotations[Annotations.ImageID] = kit.imageID;
  const containers = (kit.template.spec.containers ?? []).map((c) => buildContainer(input, c));
  for (const container of kit.template.spec.containers ?? []) {
    if (!container.metricProbe) continue;
    annotations[Annotations.ShouldBeScraped] = 'true';
    annotations[Annotations.MetricPath] = container.metricProbe.path ?? '';
    annotations[Annotations.MetricPort] = String(metricPortNumber(container.metricProbe.port, input.ports));
  }
  const spec: NonNullable<Pod['spec']> = {
    restartPolicy: kit.template.spec.restartPolicy || 'Never',
    tolerations: [{ key: AgentTaint.key, operator: 'Exists', effect: AgentTaint.effect }],
    nodeSelector: { [Labels.NodeNamespace]: kit.domainID },
    schedulerName: input.schedulerName,
    automountServiceAccountToken: false,
    containers,
  };
  if (input.configTemplates) {
    annotations[Annotations.ConfigTemplateValueConfigMapName] = generatedConfigMapName(taskName);
    annotations[Annotations.ConfigTemplateVolumes] = CONFIG_TEMPLATE_VOLUME;
    spec.volumes = [{ name: CONFIG_TEMPLATE_VOLUME, configMap: { name: configTemplateConfigMapName(taskName) } }];
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: pod.name,
      namespace: kit.domainID,
      labels: {
        ...taskObjectLabels(task),
        [Labels.CommunicationRoleServer]: 'true',
        [Labels.CommunicationRoleClient]: 'true',
        [Labels.PodIdentity]: pod.identity,
        [Labels.TaskResourceUID]: '',
        [Labels.PodRole]: kit.role,
      },
      annotations,
    },
    spec,
  };
}

function buildContainer(input: PodInput, c: Container): PodContainer {
  const { task, kit } = input;
  const ownPorts = (c.ports ?? []).map((p) => {
    const resolved = input.ports.find((r) => r.name === p.name);
    if (!resolved) throw new Error(`port ${p.name} is not allocated for pod ${input.pod.name}`);
    return { name: p.name, containerPort: resolved.port, protocol: 'TCP' };
  });
  const env: EnvVar[] = [
    ...((c.env ?? []) as EnvVar[]),
    { name: Env.DomainID, value: kit.domainID },
    { name: Env.TaskID, value: task.metadata.name ?? '' },
    { name: Env.TaskClusterDefine, value: input.clusterDefine },
    { name: Env.AllocatedPorts, value: input.allocatedPorts },
    { name: Env.TaskInputConfig, value: task.spec.taskInputConfig ?? '' },
    ...input.ports.map((p) => ({ name: portNumberEnvName(p.name), value: String(p.port) })),
  ];
  const container: PodContainer = {
    name: c.name,
    image: kit.image,
    imagePullPolicy: c.imagePullPolicy || 'IfNotPresent',
    terminationMessagePolicy: 'FallbackToLogsOnError',
    env,
  };
  if (c.command) container.command = [...c.command];
  if (c.args) container.args = [...c.args];
  if (c.workingDir) container.workingDir = c.workingDir;
  if (c.envFrom) container.envFrom = structuredClone(c.envFrom) as PodContainer['envFrom'];
  if (c.resources) container.resources = resourcesOf(c.resources);
  if (c.livenessProbe) container.livenessProbe = structuredClone(c.livenessProbe) as PodContainer['livenessProbe'];
  if (c.readinessProbe) container.readinessProbe = structuredClone(c.readinessProbe) as PodContainer['readinessProbe'];
  if (c.startupProbe) container.startupProbe = structuredClone(c.startupProbe) as PodContainer['startupProbe'];
  // Kuscia honours only `privileged` of the security context.
  const privileged = c.securityContext?.['privileged'];
  if (typeof privileged === 'boolean') container.securityContext = { privileged };
  if (ownPorts.length > 0) container.ports = ownPorts;
  if (input.configTemplates && (c.configVolumeMounts?.length ?? 0) > 0) {
    container.volumeMounts = c.configVolumeMounts!.map((m) => ({
      name: CONFIG_TEMPLATE_VOLUME,
      mountPath: m.mountPath,
      ...(m.subPath ? { subPath: m.subPath } : {}),
    }));
  }
  return container;
}

function resourcesOf(resources: NonNullable<Container['resources']>): PodContainer['resources'] {
  const asStrings = (list: Record<string, Quantity> | undefined) =>
    list ? Object.fromEntries(Object.entries(list).map(([k, v]) => [k, String(v)])) : undefined;
  const out: NonNullable<PodContainer['resources']> = {};
  const limits = asStrings(resources.limits);
  const requests = asStrings(resources.requests);
  if (limits) out.limits = limits;
  if (requests) out.requests = requests;
  return out;
}

/** A metric probe names its port by number or by port name (then the allocated number). */
function metricPortNumber(port: number | string | undefined, ports: readonly ResolvedPort[]): number | string {
  if (typeof port === 'number' || port === undefined) return port ?? '';
  return ports.find((p) => p.name === port)?.port ?? port;
}
