import { describe, expect, it } from 'vitest';
import type { Pod } from '../../kube/wire.ts';
import { podConditions, podPhase, type ContainerStatus } from './pod-status.ts';

const pod = (restartPolicy: string, containers = ['a', 'b'], init: string[] = []): Pod => ({
  metadata: { name: 'p', namespace: 'ns', uid: 'u' },
  spec: {
    restartPolicy,
    containers: containers.map((name) => ({ name })),
    ...(init.length ? { initContainers: init.map((name) => ({ name })) } : {}),
  },
});
const running = (name: string): ContainerStatus => ({ name, state: { running: {} }, ready: true, restartCount: 0, image: '', imageID: '' });
const exited = (name: string, exitCode: number): ContainerStatus => ({ name, state: { terminated: { exitCode } }, ready: false, restartCount: 0, image: '', imageID: '' });
const waitingFresh = (name: string): ContainerStatus => ({ name, state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0, image: '', imageID: '' });
const crashLooping = (name: string): ContainerStatus => ({ ...waitingFresh(name), state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } });

describe('podPhase (the kubelet getPhase table)', () => {
  it.each([
    ['Never', [running('a'), running('b')], false, 'Running'],
    ['Never', [running('a'), waitingFresh('b')], false, 'Pending'],
    ['Never', [running('a')], false, 'Pending'], // b unknown
    ['Never', [exited('a', 0), exited('b', 0)], false, 'Succeeded'],
    ['Never', [exited('a', 0), exited('b', 1)], false, 'Failed'],
    ['Never', [running('a'), exited('b', 1)], false, 'Running'],
    ['OnFailure', [exited('a', 0), exited('b', 0)], false, 'Succeeded'],
    ['OnFailure', [exited('a', 0), crashLooping('b')], false, 'Running'],
    ['OnFailure', [exited('a', 0), exited('b', 2)], false, 'Running'],
    ['OnFailure', [exited('a', 0), exited('b', 2)], true, 'Failed'],
    ['Always', [exited('a', 0), exited('b', 0)], false, 'Running'],
    ['Always', [exited('a', 0), exited('b', 0)], true, 'Succeeded'],
    ['Always', [exited('a', 137), exited('b', 0)], true, 'Failed'],
  ] as const)('%s %j terminal=%s → %s', (policy, statuses, terminal, phase) => {
    expect(podPhase(pod(policy), [...statuses], [], terminal)).toBe(phase);
  });

  it('is Pending while init containers run and Failed when one fails under Never', () => {
    const p = pod('Never', ['a'], ['i']);
    expect(podPhase(p, [waitingFresh('a')], [running('i')], false)).toBe('Pending');
    expect(podPhase(p, [waitingFresh('a')], [exited('i', 1)], false)).toBe('Failed');
    expect(podPhase(pod('OnFailure', ['a'], ['i']), [waitingFresh('a')], [crashLooping('i')], false)).toBe('Pending');
  });
});

describe('podConditions', () => {
  const now = new Date('2025-01-02T03:04:05.678Z');
  it('names unready containers and keeps transition times while a status holds', () => {
    const p = pod('Never');
    const first = podConditions(p, 'Running', [running('a'), waitingFresh('b')], [], true, now);
    expect(first.find((c) => c.type === 'ContainersReady')).toEqual({
      type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [b]', lastTransitionTime: '2025-01-02T03:04:05Z',
    });
    expect(first.find((c) => c.type === 'PodReadyToStartContainers')?.status).toBe('True');
    const later = new Date('2025-01-02T03:05:00Z');
    const second = podConditions(p, 'Running', [running('a'), running('b')], [], true, later, first);
    expect(second.find((c) => c.type === 'Ready')).toEqual({ type: 'Ready', status: 'True', lastTransitionTime: '2025-01-02T03:05:00Z' });
    expect(second.find((c) => c.type === 'Initialized')?.lastTransitionTime).toBe('2025-01-02T03:04:05Z');
  });

  it('marks a succeeded pod PodCompleted', () => {
    const c = podConditions(pod('Never'), 'Succeeded', [exited('a', 0), exited('b', 0)], [], true, now);
    expect(c.find((x) => x.type === 'Ready')).toMatchObject({ status: 'False', reason: 'PodCompleted' });
  });
});
