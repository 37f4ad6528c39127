import { describe, expect, it } from 'vitest';
import type { Pod, Service } from '../../kube/wire.ts';
import { isFinalPodStatus, missingPodStatus, missingServiceStatus, podStatusOf, refreshServiceStatus, serviceStatusOf } from './resource-status.ts';

const basePod = (status: Pod['status']): Pod => ({
  metadata: { name: 'task-a-client-0', namespace: 'alice', creationTimestamp: '2025-01-01T00:00:00Z' },
  spec: { nodeName: 'node-a', containers: [] },
  status,
});

describe('podStatuses entries', () => {
  it('records phase, node and lifecycle times', () => {
    const st = podStatusOf(
      basePod({
        phase: 'Running',
        startTime: '2025-01-01T00:00:05Z',
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: '2025-01-01T00:00:02Z' },
          { type: 'Ready', status: 'True', lastTransitionTime: '2025-01-01T00:00:09Z' },
        ],
      }),
    );
    expect(st).toEqual({
      podName: 'task-a-client-0',
      podPhase: 'Running',
      namespace: 'alice',
      nodeName: 'node-a',
      createTime: '2025-01-01T00:00:00Z',
      scheduleTime: '2025-01-01T00:00:02Z',
      startTime: '2025-01-01T00:00:05Z',
      readyTime: '2025-01-01T00:00:09Z',
    });
  });

  it('copies the container termination message into terminationLog', () => {
    const st = podStatusOf(
      basePod({
        phase: 'Failed',
        containerStatuses: [
          { name: 'main', image: 'i', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 1, reason: 'Error', message: 'boom: no such table' } } },
        ],
      }),
    );
    expect(st.reason).toBe('Error');
    expect(st.terminationLog).toBe('container[main] terminated state reason "Error", message: "boom: no such table"');
    expect(isFinalPodStatus(st)).toBe(true);
  });

  it('explains a waiting container and an unschedulable pod', () => {
    const waiting = podStatusOf(
      basePod({
        phase: 'Running',
        containerStatuses: [
          { name: 'main', image: 'i', imageID: '', ready: false, restartCount: 5, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } } },
        ],
      }),
    );
    expect(waiting.reason).toBe('CrashLoopBackOff');
    expect(waiting.message).toBe('container[main] waiting state reason: "CrashLoopBackOff", message: "back-off 5m0s"');
    const unscheduled = podStatusOf(basePod({ phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes are available' }] }));
    expect(unscheduled).toMatchObject({ podPhase: 'Pending', reason: 'Unschedulable', message: '0/1 nodes are available' });
  });

  it('marks a vanished pod Failed', () => {
    expect(missingPodStatus({ podName: 'p', namespace: 'alice', podPhase: 'Running' })).toEqual({
      podName: 'p',
      namespace: 'alice',
      podPhase: 'Failed',
      reason: 'PodNotExist',
      message: 'Does not find the pod',
    });
  });
});

describe('serviceStatuses entries', () => {
  const svc: Service = {
    metadata: { name: 'task-a-client-0-spu', namespace: 'alice', creationTimestamp: '2025-01-01T00:00:00Z', annotations: { 'kuscia.secretflow/ready-time': '2025-01-01T00:01:00.123Z' } },
  };

  it('takes readyTime from the gateway annotation', () => {
    const st = serviceStatusOf(svc, { name: 'spu', port: 20001, scope: 'Cluster' });
    expect(st).toEqual({
      namespace: 'alice',
      serviceName: 'task-a-client-0-spu',
      portName: 'spu',
      portNumber: 20001,
      scope: 'Cluster',
      createTime: '2025-01-01T00:00:00Z',
      readyTime: '2025-01-01T00:01:00Z',
    });
    expect(refreshServiceStatus(missingServiceStatus(st), svc)).toEqual(st);
    expect(missingServiceStatus(st)).toMatchObject({ reason: 'ServiceNotExist', message: 'Does not find the service' });
  });
});
