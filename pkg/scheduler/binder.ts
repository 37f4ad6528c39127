/** Binding assumed pods to their nodes through `pods/binding`, many at a time. */
import type { ResourceClient } from '../kube/resource-client.ts';
import type { Pod } from '../kube/wire.ts';
import { BoundedRunner } from './bounded-runner.ts';

export interface BindRequest {
  namespace: string;
  name: string;
  uid: string;
  nodeName: string;
}

export class Binder {
  private readonly pods: ResourceClient<Pod>;
  private readonly runner: BoundedRunner;

  constructor(pods: ResourceClient<Pod>, concurrency: number) {
    this.pods = pods;
    this.runner = new BoundedRunner({ concurrency });
  }

  /** Queues the binding; `done` gets undefined on success or the error (already retried by nobody). */
  bind(req: BindRequest, done: (err: unknown) => void): void {
    this.runner.run(async () => {
      let error: unknown;
      try {
        await this.pods.createSubresource(req.namespace, req.name, 'binding', {
          apiVersion: 'v1',
          kind: 'Binding',
          // The uid makes the binding apply to this pod only, not to a re-created namesake.
          metadata: { name: req.name, namespace: req.namespace, uid: req.uid || undefined },
          target: { apiVersion: 'v1', kind: 'Node', name: req.nodeName },
        });
      } catch (err) {
        error = err;
      }
      done(error);
    });
  }

  get inFlight(): number {
    return this.runner.pending;
  }

  drain(): Promise<void> {
    return this.runner.drain();
  }
}
