import type { Logger } from 'pino';
import { describeError, isConflict, isNotFound, statusCodeOf } from '../../kube/api-errors.ts';
import { Controller } from '../../kube/controller.ts';
import type { SharedInformerFactory } from '../../kube/informer-factory.ts';
import { objectKey, splitObjectKey } from '../../kube/object-key.ts';
import { ItemExponentialRateLimiter } from '../../kube/rate-limiter.ts';
import type { ResourceClient } from '../../kube/resource-client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { SharedInformer } from '../../kube/shared-informer.ts';
import { RateLimitingQueue } from '../../kube/work-queue.ts';
import type { Pod } from '../../kube/wire.ts';
import type { EventRecorder } from '../../scheduler/events.ts';
import type { PodAddresses } from '../inputs/field-refs.ts';
import { PodInputError } from '../inputs/input-errors.ts';
import { apiObjectSource, type Secret } from '../inputs/object-source.ts';
import { resolvePod } from '../inputs/resolve-pod.ts';
import type { PodRuntime, RuntimePodRef } from '../runtime/pod-runtime.ts';
import { ContainerEvents } from './container-events.ts';
import { inputErrorStatus } from './input-error-status.ts';
import type { PodStatusManager } from './pod-status-manager.ts';
import type { ConfigMap } from '../../kube/wire.ts';

/** The kubelet's default when a pod says nothing (terminationGracePeriodSeconds defaults to 30). */
const DEFAULT_GRACE_SECONDS = 30;

export interface PodControllerOptions {
  pods: ResourceClient<Pod>;
  configMaps: ResourceClient<ConfigMap>;
  secrets: ResourceClient<Secret>;
  informers: SharedInformerFactory;
  runtime: PodRuntime;
  statuses: PodStatusManager;
  events: EventRecorder;
  domain: string;
  nodeName: string;
  addresses: PodAddresses;
  allocatable: () => Record<string, string>;
  /** How often runtime and API are compared for orphans and lost status writes (kubelet: housekeeping 2 s, resync 1 min). */
  housekeepingIntervalMs: number;
  /** Parallel pod syncs. */
  workers?: number;
  now: () => Date;
  /** Without a component: the workers and this controller name their own. */
  log: Logger;
}

/** What the agent handed to the runtime under a pod key. */
interface OwnedPod {
  uid: string;
  namespace: string;
  name: string;
  graceSeconds: number;
}

/**
 * The agent's pod workers: pods bound to this node (a field-selected watch of the domain's
 * namespace) are resolved and handed to the runtime; the runtime's status pushes go to the status
 * manager; a pod being deleted is killed with its grace period, its final status written, and then
 * deleted from the API with grace 0 and a uid precondition, as the kubelet confirms a deletion.
 * A pod the runtime has and the API does not (any more) is killed and removed.
 */
export class PodController {
  readonly informer: SharedInformer<Pod>;
  private readonly opts: PodControllerOptions;
  private readonly log: Logger;
  private readonly controller: Controller;
  private readonly owned = new Map<string, OwnedPod>();
  private readonly terminating = new Map<string, Promise<void>>();
  /** Per pod uid: when its inputs first failed to resolve, and the last message reported as an event. */
  private readonly inputErrors = new Map<string, { since: string; message: string }>();
  private readonly containerEvents: ContainerEvents;
  private housekeeping?: NodeJS.Timeout;
  private stopped = false;

  constructor(opts: PodControllerOptions) {
    this.opts = opts;
    this.log = opts.log.child({ component: 'agent-pods' });
    this.informer = opts.informers.informerFor<Pod>(CoreResources.pods, { namespace: opts.domain, fieldSelector: `spec.nodeName=${opts.nodeName}` });
    // Input errors (a ConfigMap not there yet) are retried from 0.5 s up to every 10 s, as the kubelet re-syncs.
    const queue = new RateLimitingQueue(new ItemExponentialRateLimiter(500, 10_000));
    this.controller = new Controller({ name: 'agent-pod-workers', reconcile: (key) => this.sync(key), log: opts.log, workers: opts.workers ?? 4, queue });
    const enqueue = (pod: Pod) => {
      if (pod.metadata?.namespace !== opts.domain) {
        this.log.warn({ pod: objectKey(pod) }, 'ignoring a pod bound to this node outside the agent\'s domain namespace');
        return;
      }
      this.controller.enqueue(pod);
    };
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, pod) => enqueue(pod), onDelete: enqueue });
    const containerEvents = new ContainerEvents(opts.events);
    this.containerEvents = containerEvents;
    opts.runtime.onPodStatus((ref, status) => {
      opts.statuses.push(ref, status);
      containerEvents.observe(ref, status);
    });
  }

  /**
   * Call once the informer has synced: adopts what the runtime still runs for pods that still exist
   * (an agent restart), kills the rest, then starts the workers.
   */
  async start(): Promise<void> {
    await this.housekeep();
    this.controller.run();
    this.housekeeping = setInterval(() => void this.housekeep(), this.opts.housekeepingIntervalMs);
    this.housekeeping.unref();
  }

  /** Stops the workers and waits for terminations in flight; the runtime's pods are the runtime's to stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.housekeeping);
    await this.controller.stop();
    await Promise.all(this.terminating.values());
  }

  /** Compares runtime and API: adopts the runtime's pods the API still has, terminates the others. */
  private async housekeep(): Promise<void> {
    if (this.stopped) return;
    for (const ref of this.opts.runtime.listPods()) {
      const key = `${ref.namespace}/${ref.name}`;
      const pod = this.informer.getByKey(key);
      if (pod && pod.metadata?.uid === ref.uid) {
        if (!this.owned.has(key)) {
          this.owned.set(key, { ...ref, graceSeconds: graceOf(pod) });
          this.log.info({ pod: key, uid: ref.uid }, 'adopted a pod the runtime still has');
        }
        continue;
      }
      if (this.terminating.has(ref.uid) || this.owned.get(key)?.uid === ref.uid) continue;
      this.log.info({ pod: key, uid: ref.uid }, 'the runtime has a pod the API server does not; killing it');
      this.terminate(ref, 0, undefined);
    }
    // A periodic resync: catches status writes that were lost and pods whose events were missed.
    for (const pod of this.informer.list()) this.controller.enqueue(pod);
  }

  private async sync(key: string): Promise<void> {
    if (this.stopped) return;
    const { namespace, name } = splitObjectKey(key);
    const pod = this.informer.get(namespace, name);
    const owned = this.owned.get(key);
    const uid = pod?.metadata?.uid ?? '';

    // The pod we run under this key is gone from the API (or was replaced by a namesake).
    if (owned && (!pod || owned.uid !== uid)) {
      this.terminate(owned, owned.graceSeconds, undefined);
      if (!pod) return;
    }
    if (!pod) return;
    if (this.terminating.has(uid)) return;

    if (pod.metadata?.deletionTimestamp) {
      const ref = { uid, namespace, name };
      if (this.owned.get(key)?.uid === uid || this.opts.runtime.getPodStatus(uid)) this.terminate(ref, graceOf(pod), pod);
      else await this.confirmDeletion(pod);
      return;
    }

    if (this.owned.get(key)?.uid === uid) {
      this.owned.get(key)!.graceSeconds = graceOf(pod);
      const status = this.opts.runtime.getPodStatus(uid);
      if (status) this.opts.statuses.push({ uid, namespace, name }, status);
      return;
    }
    if (this.opts.runtime.getPodStatus(uid)) {
      this.owned.set(key, { uid, namespace, name, graceSeconds: graceOf(pod) });
      return;
    }
    // A finished pod whose runtime state is gone (removed before an agent restart) is not run again.
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    await this.startPod(pod, key);
  }

  private async startPod(pod: Pod, key: string): Promise<void> {
    const { uid = '', namespace = '', name = '' } = pod.metadata ?? {};
    const log = this.log.child({ pod: key, uid });
    this.opts.statuses.accept(uid);
    let resolved;
    try {
      const result = await resolvePod(pod, {
        source: apiObjectSource({ configMaps: this.opts.configMaps, secrets: this.opts.secrets }, namespace),
        domain: this.opts.domain,
        addresses: this.opts.addresses,
        allocatable: this.opts.allocatable(),
      });
      for (const warning of result.warnings) log.warn(warning);
      resolved = result.resolved;
    } catch (err) {
      if (err instanceof PodInputError) this.reportInputError(pod, err);
      throw err;
    }
    this.inputErrors.delete(uid);
    this.owned.set(key, { uid, namespace, name, graceSeconds: graceOf(pod) });
    await this.opts.runtime.createPod(resolved);
    log.info('pod handed to the runtime');
  }

  /** Pending with the waiting reason, and (once per distinct message) a Warning event, as the kubelet does. */
  private reportInputError(pod: Pod, err: PodInputError): void {
    const { uid = '', namespace = '', name = '' } = pod.metadata ?? {};
    const previous = this.inputErrors.get(uid);
    const since = previous?.since ?? apiTime(this.opts.now());
    this.inputErrors.set(uid, { since, message: err.message });
    this.opts.statuses.push({ uid, namespace, name }, inputErrorStatus(pod, err, since));
    if (previous?.message !== err.message) {
      const [reason, message] = err.reason === 'CreateContainerConfigError' ? ['Failed', `Error: ${err.message}`] : ['FailedMount', err.message];
      this.opts.events.record({ namespace, name, uid }, 'Warning', reason, message);
      this.log.info({ pod: `${namespace}/${name}`, reason: err.reason, message: err.message }, 'pod inputs not available yet; retrying');
    }
  }

  /**
   * Kill (grace per the deletion), write the final status, confirm the deletion to the API when the
   * pod is being deleted there, and remove it from the runtime. Runs beside the workers so a long
   * grace period holds up no other pod; the key is synced again when it ends.
   */
  private terminate(ref: RuntimePodRef, graceSeconds: number, deleting: Pod | undefined): void {
    if (this.terminating.has(ref.uid)) return;
    const key = `${ref.namespace}/${ref.name}`;
    const log = this.log.child({ pod: key, uid: ref.uid });
    const run = async () => {
      log.info({ graceSeconds }, 'killing pod');
      const running = (this.opts.runtime.getPodStatus(ref.uid)?.containerStatuses ?? []).filter((c) => c.state?.running).map((c) => c.name);
      this.containerEvents.killing(ref, running);
      await this.opts.runtime.killPod(ref.uid, graceSeconds);
      await this.opts.statuses.flush(ref.uid);
      if (deleting) await this.confirmDeletion(deleting);
      await this.opts.runtime.removePod(ref.uid);
      this.opts.statuses.forget(ref.uid);
      this.containerEvents.forget(ref.uid);
      this.inputErrors.delete(ref.uid);
      if (this.owned.get(key)?.uid === ref.uid) this.owned.delete(key);
      log.info('pod killed and removed');
    };
    const done = run()
      .catch((err: unknown) => log.error({ err: describeError(err) }, 'pod termination failed; retrying'))
      .finally(() => {
        this.terminating.delete(ref.uid);
        if (!this.stopped) this.controller.queue.addAfter(key, this.owned.get(key)?.uid === ref.uid ? 1000 : 0);
      });
    this.terminating.set(ref.uid, done);
  }

  /** DELETE with grace 0 and the pod's uid as precondition: never removes a namesake created meanwhile. */
  private async confirmDeletion(pod: Pod): Promise<void> {
    const { uid = '', namespace = '', name = '' } = pod.metadata ?? {};
    try {
      await this.opts.pods.delete(namespace, name, { gracePeriodSeconds: 0, uid });
    } catch (err) {
      // Gone already, or the name now belongs to another pod (precondition failed: 409).
      if (isNotFound(err) || isConflict(err) || statusCodeOf(err) === 409) return;
      throw err;
    }
    this.opts.statuses.forget(uid);
    this.inputErrors.delete(uid);
  }
}

function graceOf(pod: Pod): number {
  return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

function apiTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
