/**
 * core/v1 Events about pods, as kube-scheduler writes them (`Scheduled`, `FailedScheduling`), sent
 * in the background with bounded parallelism. Like client-go's event broadcaster, events are best
 * effort: when the API cannot keep up the excess is dropped (and counted), never queued without bound
 * and never allowed to slow down scheduling.
 */
import type { CoreV1Event } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { rfc3339 } from '../controllers/common/controller-context.ts';
import { describeError } from '../kube/api-errors.ts';
import type { ResourceClient } from '../kube/resource-client.ts';
import type { Wire } from '../kube/wire.ts';
import { BoundedRunner } from './bounded-runner.ts';

export type CoreEvent = Wire<CoreV1Event>;

export interface EventTarget {
  namespace: string;
  name: string;
  uid: string;
}

export interface EventRecorderOptions {
  client: ResourceClient<CoreEvent>;
  /** `source.component` / `reportingComponent`. */
  component: string;
  /** `reportingInstance`, e.g. the host name. */
  instance: string;
  log: Logger;
  now: () => number;
  concurrency?: number;
  maxWaiting?: number;
}

export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly runner: BoundedRunner;
  private sequence = 0;
  dropped = 0;

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
    this.runner = new BoundedRunner({ concurrency: opts.concurrency ?? 4, maxWaiting: opts.maxWaiting ?? 1000 });
  }

  record(target: EventTarget, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const nowMs = this.opts.now();
    const time = rfc3339(nowMs);
    // client-go names events <object>.<unix nanos in hex>; the sequence keeps same-ms names apart.
    const nanos = BigInt(nowMs) * 1_000_000n + BigInt(this.sequence++ % 1_000_000);
    const event: CoreEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${target.name}.${nanos.toString(16)}`, namespace: target.namespace },
      involvedObject: { apiVersion: 'v1', kind: 'Pod', namespace: target.namespace, name: target.name, uid: target.uid },
      type,
      reason,
      message,
      source: { component: this.opts.component },
      reportingComponent: this.opts.component,
      reportingInstance: this.opts.instance,
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    const accepted = this.runner.run(async () => {
      try {
        await this.opts.client.create(event);
      } catch (err) {
        this.opts.log.debug({ err: describeError(err), pod: `${target.namespace}/${target.name}`, reason }, 'event not recorded');
      }
    });
    if (!accepted) this.dropped++;
  }

  drain(): Promise<void> {
    return this.runner.drain();
  }
}
