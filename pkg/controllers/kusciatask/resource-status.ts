/**
 * status.podStatuses and status.serviceStatuses of a task (Kuscia: refreshKtResourcesStatus): what
 * users read to see why a task is stuck or failed without looking into party namespaces. Each
 * entry is recomputed from the live object; a pod entry that reached Succeeded or Failed is final
 * (the pod may be deleted later, its last words stay in the task).
 */
import { Annotations, type TaskPodStatus, type TaskServiceStatus } from '../../crd/index.ts';
import type { Pod, Service } from '../../kube/wire.ts';
import type { ResolvedPort } from './port-assignment.ts';

type ContainerStatus = NonNullable<NonNullable<Pod['status']>['containerStatuses']>[number];

export function isFinalPodStatus(status: TaskPodStatus): boolean {
  return status.podPhase === 'Succeeded' || status.podPhase === 'Failed';
}

/** Go's %q for the strings Kubernetes puts in these fields. */
const quote = (s: string | undefined) => JSON.stringify(s ?? '');

function terminationLog(cs: ContainerStatus): { reason?: string; log?: string } {
  const current = cs.state?.terminated;
  const last = cs.lastState?.terminated;
  const terminated = current ?? last;
  if (!terminated) return {};
  const which = current ? 'terminated state' : 'last terminated state';
  return {
    reason: terminated.reason || undefined,
    log: terminated.message ? `container[${cs.name}] ${which} reason ${quote(terminated.reason)}, message: ${quote(terminated.message)}` : undefined,
  };
}

export function podStatusOf(pod: Pod): TaskPodStatus {
  const status = pod.status ?? {};
  let reason = status.reason || undefined;
  let message = status.message || undefined;
  let log: string | undefined;
  for (const cs of status.containerStatuses ?? []) {
    const t = terminationLog(cs);
    reason ??= t.reason;
    if (t.log) {
      log = t.log;
      break;
    }
  }
  const conditions = status.conditions ?? [];
  const scheduled = conditions.find((c) => c.type === 'PodScheduled');
  const ready = conditions.find((c) => c.type === 'Ready');
  if (scheduled?.status === 'False') {
    reason ??= scheduled.reason || undefined;
    message ??= scheduled.message || undefined;
  }
  if (!message) {
    for (const cs of status.containerStatuses ?? []) {
      const waiting = cs.state?.waiting;
      if (!waiting) continue;
      reason ??= waiting.reason || undefined;
      if (waiting.message) {
        message = `container[${cs.name}] waiting state reason: ${quote(waiting.reason)}, message: ${quote(waiting.message)}`;
        break;
      }
    }
  }
  const entry: TaskPodStatus = {
    podName: pod.metadata?.name ?? '',
    podPhase: status.phase || 'Pending',
    namespace: pod.metadata?.namespace ?? '',
  };
  if (pod.spec?.nodeName) entry.nodeName = pod.spec.nodeName;
  if (message) entry.message = message;
  if (log) entry.terminationLog = log;
  if (reason) entry.reason = reason;
  if (pod.metadata?.creationTimestamp) entry.createTime = pod.metadata.creationTimestamp;
  if (scheduled?.status === 'True' && scheduled.lastTransitionTime) entry.scheduleTime = scheduled.lastTransitionTime;
  if (status.startTime) entry.startTime = status.startTime;
  if (ready?.status === 'True' && ready.lastTransitionTime) entry.readyTime = ready.lastTransitionTime;
  return entry;
}

/** A pod the task created is gone: the task counts it as failed. */
export function missingPodStatus(previous: TaskPodStatus): TaskPodStatus {
  return { ...previous, podPhase: 'Failed', reason: 'PodNotExist', message: 'Does not find the pod' };
}

export function serviceStatusOf(service: Service, port: Pick<ResolvedPort, 'name' | 'port' | 'scope'>): TaskServiceStatus {
  const entry: TaskServiceStatus = {
    namespace: service.metadata?.namespace ?? '',
    serviceName: service.metadata?.name ?? '',
    portName: port.name,
    portNumber: port.port,
    scope: port.scope,
  };
  if (service.metadata?.creationTimestamp) entry.createTime = service.metadata.creationTimestamp;
  // The gateway marks a Service ready once its route works.
  const readyTime = parseTime(service.metadata?.annotations?.[Annotations.ReadyTime]);
  if (readyTime) entry.readyTime = readyTime;
  return entry;
}

/** Refresh an entry from its Service (keeping the port it was created for). */
export function refreshServiceStatus(previous: TaskServiceStatus, service: Service): TaskServiceStatus {
  return serviceStatusOf(service, { name: previous.portName ?? '', port: previous.portNumber ?? 0, scope: previous.scope ?? 'Cluster' });
}

export function missingServiceStatus(previous: TaskServiceStatus): TaskServiceStatus {
  return { ...previous, reason: 'ServiceNotExist', message: 'Does not find the service' };
}

function parseTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
