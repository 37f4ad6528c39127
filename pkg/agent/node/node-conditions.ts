import { statfs } from 'node:fs/promises';
import { freemem } from 'node:os';
import type { Wire } from '../../kube/wire.ts';
import type { V1NodeCondition } from '@kubernetes/client-node';

export type NodeCondition = Wire<V1NodeCondition>;

/** What the pressure conditions are decided from; measured by {@link measurePressure}. */
export interface PressureSample {
  memoryAvailableBytes: number;
  /** Fraction (0..1) of the agent's root filesystem still available. */
  diskAvailableFraction: number;
}

/** The kubelet's default hard eviction thresholds: memory.available<100Mi, nodefs.available<10%. */
const MEMORY_PRESSURE_BELOW_BYTES = 100 * 1024 * 1024;
const DISK_PRESSURE_BELOW_FRACTION = 0.1;

export async function measurePressure(rootDir: string): Promise<PressureSample> {
  let diskAvailableFraction = 1;
  try {
    const fs = await statfs(rootDir);
    if (fs.blocks > 0) diskAvailableFraction = fs.bavail / fs.blocks;
  } catch {
    // No statfs (or the dir is gone): report no pressure rather than a false alarm.
  }
  return { memoryAvailableBytes: freemem(), diskAvailableFraction };
}

interface ConditionText {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** Reasons and messages as the kubelet writes them (kubelet/nodestatus/setters.go). */
function pressureConditions(sample: PressureSample): Record<string, ConditionText> {
  const memory = sample.memoryAvailableBytes < MEMORY_PRESSURE_BELOW_BYTES;
  const disk = sample.diskAvailableFraction < DISK_PRESSURE_BELOW_FRACTION;
  return {
    MemoryPressure: memory
      ? { status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    DiskPressure: disk
      ? { status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    // RunP processes share the host's PID space; the agent has no PID budget of its own to exhaust.
    PIDPressure: { status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    Ready: { status: 'True', reason: 'KubeletReady', message: 'agent is posting ready status' },
  };
}

/**
 * The node's conditions at `now`: heartbeat moves every time, lastTransitionTime only when a
 * condition's status changes from what the node showed before (`previous`).
 */
export function nodeConditions(sample: PressureSample, previous: readonly NodeCondition[] | undefined, now: string): NodeCondition[] {
  const out: NodeCondition[] = [];
  for (const [type, text] of Object.entries(pressureConditions(sample))) {
    const before = previous?.find((c) => c.type === type);
    const transition = before && before.status === text.status && before.lastTransitionTime ? before.lastTransitionTime : now;
    out.push({ type, ...text, lastHeartbeatTime: now, lastTransitionTime: transition });
  }
  return out;
}

/** Conditions without their heartbeat: what "the status changed" is judged on. */
export function conditionsWithoutHeartbeat(conditions: readonly NodeCondition[] | undefined): unknown[] {
  return (conditions ?? []).map(({ lastHeartbeatTime: _heartbeat, ...rest }) => rest);
}
