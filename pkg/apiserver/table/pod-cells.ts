import type { KubeObject } from '../api/object.ts';
import { ageSince, parseTimestamp, humanDuration } from './human-duration.ts';

/**
 * The pod row of kube-apiserver's printer (printPod in pkg/printers/internalversion): READY,
 * STATUS as kubectl users know it (ContainerCreating, CrashLoopBackOff, Completed, Error,
 * Init:0/1, Terminating, ...), RESTARTS with the age of the last restart, and the wide columns.
 */

interface ContainerState {
  waiting?: { reason?: string };
  running?: Record<string, unknown>;
  terminated?: { reason?: string; exitCode?: number; signal?: number; finishedAt?: string };
}

interface ContainerStatus {
  name?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodView {
  spec?: { containers?: unknown[]; initContainers?: unknown[]; nodeName?: string; readinessGates?: Array<{ conditionType?: string }> };
  status?: {
    phase?: string;
    reason?: string;
    conditions?: Array<{ type?: string; status?: string; reason?: string }>;
    initContainerStatuses?: ContainerStatus[];
    containerStatuses?: ContainerStatus[];
    podIPs?: Array<{ ip?: string }>;
    podIP?: string;
    nominatedNodeName?: string;
  };
}

/** node.NodeUnreachablePodReason: the node controller marks pods of lost nodes with it. */
const nodeUnreachablePodReason = 'NodeLost';

export function podCells(obj: KubeObject, now: Date): unknown[] {
  const pod = obj as unknown as KubeObject & PodView;
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const totalContainers = spec.containers?.length ?? 0;
  let restarts = 0;
  let readyContainers = 0;
  let lastRestart: Date | undefined;
  const noteRestart = (c: ContainerStatus) => {
    restarts += c.restartCount ?? 0;
    const finished = parseTimestamp(c.lastState?.terminated?.finishedAt);
    if (c.lastState?.terminated && finished && (!lastRestart || lastRestart < finished)) lastRestart = finished;
  };

  let reason = status.reason || status.phase || '';
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i];
    noteRestart(c);
    const terminated = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (terminated && (terminated.exitCode ?? 0) === 0) continue;
    if (terminated) {
      if (!terminated.reason) reason = terminated.signal ? `Init:Signal:${terminated.signal}` : `Init:ExitCode:${terminated.exitCode ?? 0}`;
      else reason = `Init:${terminated.reason}`;
    } else if (waiting?.reason && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${spec.initContainers?.length ?? 0}`;
    }
    initializing = true;
    break;
  }

  if (!initializing) {
    restarts = 0;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i];
      noteRestart(c);
      const waiting = c.state?.waiting;
      const terminated = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (terminated?.reason) reason = terminated.reason;
      else if (terminated) reason = terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`;
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // A pod whose last container completed but another still runs is Running (or NotReady).
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  if (obj.metadata.deletionTimestamp && status.reason === nodeUnreachablePodReason) reason = 'Unknown';
  else if (obj.metadata.deletionTimestamp) reason = 'Terminating';

  const restartsText = lastRestart ? `${restarts} (${humanDuration(now.getTime() - lastRestart.getTime())} ago)` : String(restarts);

  const podIP = status.podIPs?.[0]?.ip || '<none>';
  const nodeName = spec.nodeName || '<none>';
  const nominated = status.nominatedNodeName || '<none>';
  let readinessGates = '<none>';
  if (spec.readinessGates && spec.readinessGates.length > 0) {
    let trueConditions = 0;
    for (const gate of spec.readinessGates) {
      const cond = (status.conditions ?? []).find((c) => c.type === gate.conditionType);
      if (cond?.status === 'True') trueConditions++;
    }
    readinessGates = `${trueConditions}/${spec.readinessGates.length}`;
  }

  return [
    obj.metadata.name ?? '',
    `${readyContainers}/${totalContainers}`,
    reason,
    restartsText,
    ageSince(obj.metadata.creationTimestamp, now),
    podIP,
    nodeName,
    nominated,
    readinessGates,
  ];
}
