import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/object.ts';
import { podTable } from './builtin-core.ts';

const now = new Date('2024-01-01T01:00:00Z');

function pod(extra: Record<string, unknown>, meta: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', creationTimestamp: '2024-01-01T00:00:00Z', ...meta },
    spec: { containers: [{ name: 'main' }, { name: 'side' }] },
    ...extra,
  };
}

const cells = (p: KubeObject) => podTable.cells(p, now);
const status = (p: KubeObject) => cells(p)[2];

describe('pod table row', () => {
  it('prints NAME READY STATUS RESTARTS AGE then the wide columns', () => {
    const p = pod({
      spec: { containers: [{ name: 'main' }], nodeName: 'node-1' },
      status: {
        phase: 'Running',
        podIPs: [{ ip: '10.0.0.5' }],
        containerStatuses: [{ name: 'main', ready: true, restartCount: 0, state: { running: {} } }],
      },
    });
    expect(cells(p)).toEqual(['p', '1/1', 'Running', '0', '60m', '10.0.0.5', 'node-1', '<none>', '<none>']);
    expect(podTable.columns.map((c) => [c.name, c.priority])).toEqual([
      ['Name', 0],
      ['Ready', 0],
      ['Status', 0],
      ['Restarts', 0],
      ['Age', 0],
      ['IP', 1],
      ['Node', 1],
      ['Nominated Node', 1],
      ['Readiness Gates', 1],
    ]);
  });

  it('is Pending before the kubelet reports containers', () => {
    expect(status(pod({ status: { phase: 'Pending' } }))).toBe('Pending');
  });

  it('shows the waiting reason (ContainerCreating, CrashLoopBackOff)', () => {
    const waiting = (reason: string) =>
      pod({ status: { phase: 'Pending', containerStatuses: [{ name: 'main', state: { waiting: { reason } } }, { name: 'side', state: { running: {} }, ready: true }] } });
    expect(status(waiting('ContainerCreating'))).toBe('ContainerCreating');
    expect(status(waiting('CrashLoopBackOff'))).toBe('CrashLoopBackOff');
  });

  it('shows Completed and Error from terminated containers', () => {
    const done = (reason: string, exitCode: number) =>
      pod({ spec: { containers: [{ name: 'main' }] }, status: { phase: exitCode ? 'Failed' : 'Succeeded', containerStatuses: [{ name: 'main', state: { terminated: { reason, exitCode } } }] } });
    expect(status(done('Completed', 0))).toBe('Completed');
    expect(status(done('Error', 1))).toBe('Error');
    expect(cells(done('Completed', 0))[1]).toBe('0/1');
  });

  it('prints ExitCode:N or Signal:N when the runtime gives no reason', () => {
    const p = pod({ status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 137, signal: 9 } } }] } });
    expect(status(p)).toBe('Signal:9');
    const q = pod({ status: { phase: 'Failed', containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 3 } } }] } });
    expect(status(q)).toBe('ExitCode:3');
  });

  it('goes back to Running when one container completed but another still runs', () => {
    const p = pod({
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True' }],
        containerStatuses: [
          { name: 'main', ready: true, state: { running: {} } },
          { name: 'side', ready: false, state: { terminated: { reason: 'Completed', exitCode: 0 } } },
        ],
      },
    });
    expect(status(p)).toBe('Running');
  });

  it('reports init progress', () => {
    const p = pod({
      spec: { containers: [{ name: 'main' }], initContainers: [{ name: 'i1' }, { name: 'i2' }] },
      status: {
        phase: 'Pending',
        initContainerStatuses: [
          { name: 'i1', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'i2', state: { running: {} } },
        ],
      },
    });
    expect(status(p)).toBe('Init:1/2');
    const failed = pod({
      spec: { containers: [{ name: 'main' }], initContainers: [{ name: 'i1' }] },
      status: { phase: 'Pending', initContainerStatuses: [{ name: 'i1', state: { waiting: { reason: 'CrashLoopBackOff' } } }] },
    });
    expect(status(failed)).toBe('Init:CrashLoopBackOff');
  });

  it('is Terminating once deletion started, Unknown on a lost node', () => {
    expect(status(pod({ status: { phase: 'Running' } }, { deletionTimestamp: '2024-01-01T00:59:00Z' }))).toBe('Terminating');
    expect(status(pod({ status: { phase: 'Running', reason: 'NodeLost' } }, { deletionTimestamp: '2024-01-01T00:59:00Z' }))).toBe('Unknown');
  });

  it('counts restarts and shows how long ago the last one was', () => {
    const p = pod({
      status: {
        phase: 'Running',
        containerStatuses: [
          { name: 'main', ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:55:00Z' } } },
          { name: 'side', ready: true, restartCount: 1, state: { running: {} } },
        ],
      },
    });
    expect(cells(p).slice(1, 4)).toEqual(['2/2', 'Running', '3 (5m ago)']);
  });

  it('summarises readiness gates', () => {
    const p = pod({
      spec: { containers: [], readinessGates: [{ conditionType: 'a' }, { conditionType: 'b' }] },
      status: { phase: 'Running', conditions: [{ type: 'a', status: 'True' }, { type: 'b', status: 'False' }] },
    });
    expect(cells(p)[8]).toBe('1/2');
  });
});
