import { describe, expect, it } from 'vitest';
import type { EventRecorder } from '../../scheduler/events.ts';
import type { PodStatus } from '../runtime/pod-runtime.ts';
import { ContainerEvents } from './container-events.ts';

const ref = { uid: 'u1', namespace: 'alice', name: 'task-0' };

function recorder() {
  const recorded: string[] = [];
  const events = { record: (_target: unknown, type: string, reason: string, message: string) => recorded.push(`${type} ${reason}: ${message}`) } as unknown as EventRecorder;
  return { recorded, events };
}

type Container = Omit<NonNullable<PodStatus['containerStatuses']>[number], 'imageID' | 'ready' | 'restartCount'>;
/** A pod status of one container, with the fields these events do not read filled in. */
const status = (c: Container): PodStatus => ({ containerStatuses: [{ imageID: '', ready: false, restartCount: 0, ...c }] });
const running = (id: string) => status({ name: 'engine', image: 'fake:1', containerID: id, state: { running: { startedAt: 't' } } });

describe('ContainerEvents', () => {
  it('tells each run of a container once: Pulled, Created, Started', () => {
    const { recorded, events } = recorder();
    const ce = new ContainerEvents(events);
    ce.observe(ref, running('runp://a'));
    ce.observe(ref, running('runp://a'));
    expect(recorded).toEqual(['Normal Pulled: Container image "fake:1" already present on machine', 'Normal Created: Created container engine', 'Normal Started: Started container engine']);
    ce.observe(ref, status({ name: 'engine', image: 'fake:1', containerID: 'runp://a', state: { waiting: { reason: 'CrashLoopBackOff' } } }));
    ce.observe(ref, running('runp://b'));
    expect(recorded.slice(3)).toEqual([
      'Warning BackOff: Back-off restarting failed container engine in pod task-0_alice(u1)',
      'Normal Pulled: Container image "fake:1" already present on machine',
      'Normal Created: Created container engine',
      'Normal Started: Started container engine',
    ]);
  });

  it('reports a run that could not start as Failed, and an unknown image once', () => {
    const { recorded, events } = recorder();
    const ce = new ContainerEvents(events);
    const waiting = status({ name: 'engine', image: 'nope:1', state: { waiting: { reason: 'ErrImageNeverPull', message: 'Container image "nope:1" is not present with pull policy of Never' } } });
    ce.observe(ref, waiting);
    ce.observe(ref, waiting);
    ce.observe(ref, status({ name: 'engine', image: 'x', containerID: 'runp://c', state: { terminated: { exitCode: 128, reason: 'StartError', message: 'exec: "x": executable file not found in $PATH' } } }));
    expect(recorded).toEqual(['Warning ErrImageNeverPull: Container image "nope:1" is not present with pull policy of Never', 'Warning Failed: Error: exec: "x": executable file not found in $PATH']);
  });
});
