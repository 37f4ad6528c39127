/**
 * What users see on a pod about scheduling, as kube-scheduler leaves it: an `Scheduled` event on
 * success; on failure a `FailedScheduling` warning event and the condition PodScheduled=False,
 * reason Unschedulable, with the fit error as message (the KusciaTask controller copies that into
 * the task's podStatuses). Both are written only when the message changes, in the background.
 */
import type { Logger } from 'pino';
import { rfc3339 } from '../controllers/common/controller-context.ts';
import { describeError, isNotFound } from '../kube/api-errors.ts';
import type { ResourceClient } from '../kube/resource-client.ts';
import type { Pod } from '../kube/wire.ts';
import { BoundedRunner } from './bounded-runner.ts';
import type { EventRecorder } from './events.ts';

export class PodReporter {
  private readonly pods: ResourceClient<Pod>;
  private readonly events: EventRecorder | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly runner = new BoundedRunner({ concurrency: 4, maxWaiting: 5000 });
  /** The last failure reported per pod key, so a repeated failure costs nothing. */
  private readonly reported = new Map<string, string>();

  constructor(opts: { pods: ResourceClient<Pod>; events?: EventRecorder; log: Logger; now: () => number }) {
    this.pods = opts.pods;
    this.events = opts.events;
    this.log = opts.log;
    this.now = opts.now;
  }

  unschedulable(pod: Pod, message: string): void {
    const namespace = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    if (this.reported.get(key) === message) return;
    this.reported.set(key, message);
    this.events?.record({ namespace, name, uid: pod.metadata?.uid ?? '' }, 'Warning', 'FailedScheduling', message);
    const current = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (current?.status === 'False' && current.reason === 'Unschedulable' && current.message === message) return;
    const lastTransitionTime = current?.status === 'False' && current.lastTransitionTime ? current.lastTransitionTime : rfc3339(this.now());
    const patch = { status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime }] } };
    this.runner.run(async () => {
      try {
        await this.pods.patch(namespace, name, patch, { type: 'strategic', subresource: 'status' });
      } catch (err) {
        if (!isNotFound(err)) this.log.debug({ err: describeError(err), pod: key }, 'could not write PodScheduled condition');
      }
    });
  }

  scheduled(target: { namespace: string; name: string; uid: string }, nodeName: string): void {
    this.reported.delete(`${target.namespace}/${target.name}`);
    this.events?.record(target, 'Normal', 'Scheduled', `Successfully assigned ${target.namespace}/${target.name} to ${nodeName}`);
  }

  /** The pod is gone: forget what was reported about it. */
  forget(podKey: string): void {
    this.reported.delete(podKey);
  }

  async drain(): Promise<void> {
    await Promise.all([this.runner.drain(), this.events?.drain()]);
  }
}
