import type { EventRecorder } from '../../scheduler/events.ts';
import type { PodStatus, RuntimePodRef } from '../runtime/pod-runtime.ts';

type ContainerStatus = NonNullable<PodStatus['containerStatuses']>[number];

/** What was last seen of one container: its run (containerID) and the reason it waits, if any. */
interface Seen {
  containerID?: string;
  waitingReason?: string;
}

/**
 * The kubelet's container events, derived from the runtime's status pushes, so `kubectl describe
 * pod` and `kubectl get events` tell a container's life as on Kubernetes: Pulled, Created and
 * Started for each new run, Failed for a run that could not start, BackOff and ErrImageNeverPull
 * when it starts waiting for those, Killing when the agent stops it.
 */
export class ContainerEvents {
  private readonly events: EventRecorder;
  private readonly seen = new Map<string, Map<string, Seen>>();

  constructor(events: EventRecorder) {
    this.events = events;
  }

  observe(ref: RuntimePodRef, status: PodStatus): void {
    let containers = this.seen.get(ref.uid);
    if (!containers) this.seen.set(ref.uid, (containers = new Map()));
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
      const before = containers.get(c.name) ?? {};
      const waitingReason = c.state?.waiting?.reason;
      if (c.containerID && c.containerID !== before.containerID) this.newRun(ref, c);
      if (waitingReason && waitingReason !== before.waitingReason) this.waiting(ref, c, waitingReason);
      containers.set(c.name, { containerID: c.containerID ?? before.containerID, waitingReason });
    }
  }

  /** The agent is stopping these containers (deletion, or a pod this node no longer has). */
  killing(ref: RuntimePodRef, running: string[]): void {
    for (const name of running) this.events.record(ref, 'Normal', 'Killing', `Stopping container ${name}`);
  }

  forget(uid: string): void {
    this.seen.delete(uid);
  }

  private newRun(ref: RuntimePodRef, c: ContainerStatus): void {
    const terminated = c.state?.terminated;
    if (terminated?.reason === 'StartError') {
      this.events.record(ref, 'Warning', 'Failed', `Error: ${terminated.message ?? 'failed to start container'}`);
      return;
    }
    this.events.record(ref, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    this.events.record(ref, 'Normal', 'Created', `Created container ${c.name}`);
    this.events.record(ref, 'Normal', 'Started', `Started container ${c.name}`);
  }

  private waiting(ref: RuntimePodRef, c: ContainerStatus, reason: string): void {
    if (reason === 'CrashLoopBackOff') {
      this.events.record(ref, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${ref.name}_${ref.namespace}(${ref.uid})`);
    } else if (reason === 'ErrImageNeverPull') {
      this.events.record(ref, 'Warning', 'ErrImageNeverPull', c.state?.waiting?.message ?? `Container image "${c.image}" is not present with pull policy of Never`);
    }
  }
}
