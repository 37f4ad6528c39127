/**
 * kuscia-scheduler: a single-process, Volcano-statement style gang scheduler for Kuscia's
 * TaskResources (reference: Kuscia's kusciascheduling plugin, Volcano's allocate/Statement).
 *
 * - Everything that decides placement runs synchronously on the event loop against one in-memory
 *   cache, so two gangs can never both take the same capacity: no locks, no overcommit.
 * - A gang (the pods of one TaskResource) is placed tentatively and kept only if at least
 *   `minReservedPods` fit; then the TaskResource goes Reserved and the pods hold their nodes as
 *   assumptions (nothing is bound). Nothing ever waits: a gang that does not fit is parked until
 *   capacity frees up, a reservation not made Schedulable in time is released by a timer.
 * - Pods are bound (pods/binding, many in parallel) only once their TaskResource is Schedulable,
 *   which the TaskResourceGroup controller decides across parties.
 * - State is memory only; after a restart it is rebuilt from the API (bound pods count as used) and
 *   TaskResources found Reserved/Schedulable are placed again or failed.
 */
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { rfc3339, type ControllerContext, type KusciaController } from '../controllers/common/controller-context.ts';
import { KusciaResources } from '../controllers/common/resources.ts';
import { Annotations, KUSCIA_SCHEDULER_NAME, Labels } from '../crd/constants.ts';
import { TaskResourcePhase, type TaskResource } from '../crd/resource.ts';
import { describeError, isNotFound } from '../kube/api-errors.ts';
import { objectKey } from '../kube/object-key.ts';
import { isPodTerminal } from '../kube/object-state.ts';
import { ResourceClient } from '../kube/resource-client.ts';
import { CoreResources } from '../kube/resources.ts';
import type { SharedInformer } from '../kube/shared-informer.ts';
import { updateStatusWithRetry } from '../kube/status-update.ts';
import type { Namespace, Node, Pod } from '../kube/wire.ts';
import { Binder } from './binder.ts';
import { SchedulerCache } from './cache.ts';
import { EventRecorder, type CoreEvent } from './events.ts';
import { podInfoOf, type PodInfo } from './filter.ts';
import { NodePicker, placeGang, type GangPlacement } from './placement.ts';
import { PodReporter } from './pod-reporter.ts';
import { SchedulingQueue, type QueuedUnit } from './queue.ts';
import { podRequests, QuantityReader } from './resources.ts';
import { conditionReason, RESERVED_REASON, setConditionReason, setTaskResourcePhase, siblingStatusInfo, taskResourceGroupUid } from './task-resource-status.ts';

export interface KusciaSchedulerOptions {
  /** Pods with this spec.schedulerName are ours (default kuscia-scheduler). */
  schedulerName?: string;
  /** Reservation window when a TaskResource does not set spec.resourceReservedSeconds (Kuscia: 30). */
  defaultResourceReservedSeconds?: number;
  /** Bindings in flight at once (default 32). */
  bindConcurrency?: number;
  /** Write core/v1 Events (Scheduled, FailedScheduling); default true. */
  recordEvents?: boolean;
  /** Wait before retrying a TaskResource after a failed API write (default 1000 ms). */
  retryDelayMs?: number;
  /** Longest stretch of synchronous scheduling before yielding to I/O (default 10 ms). */
  sliceMs?: number;
}

/** Pod index: the TaskResource a pod belongs to, `namespace/<task-resource annotation>`. */
const TASK_RESOURCE_INDEX = 'kuscia-scheduler:task-resource';
/** TaskResource index: the task-resource-group-uid label (siblings of one group). */
const GROUP_UID_INDEX = 'kuscia-scheduler:task-resource-group-uid';
const PARTNER_ROLE = 'partner';

/** One TaskResource's scheduling state (memory only). */
interface Gang {
  key: string;
  namespace: string;
  name: string;
  /** Pods assumed onto nodes for this gang and not bound yet: pod key → node. */
  readonly assumed: Map<string, string>;
  /** Pods whose binding is in flight (their assumption stays until the API answers). */
  readonly binding: Set<string>;
  /** A TaskResource write is in flight; decisions wait for its outcome. */
  writing: boolean;
  /** resourceVersion of our last write: informer copies older than that are stale. */
  writtenRv: number;
  /** This scheduler placed the gang's minimum since the TaskResource last entered Reserving. */
  placed: boolean;
  expiry?: NodeJS.Timeout;
  /** The last shortfall reported, so it is written once per change. */
  shortfall?: string;
}

interface GangPods {
  /** Unbound pods of ours that hold nothing yet, in name order. */
  pending: PodInfo[];
  pendingPods: Pod[];
  /** Bound, unfinished pods (they count toward minReservedPods). */
  bound: number;
  /** Every unfinished member. */
  total: number;
}

export class KusciaScheduler implements KusciaController {
  readonly name = 'kuscia-scheduler';
  private readonly ctx: ControllerContext;
  private readonly log: Logger;
  private readonly schedulerName: string;
  private readonly defaultReservedSeconds: number;
  private readonly retryDelayMs: number;
  private readonly sliceMs: number;
  private readonly podInformer: SharedInformer<Pod>;
  private readonly trInformer: SharedInformer<TaskResource>;
  private readonly nodeInformer: SharedInformer<Node>;
  private readonly partnerNamespaceInformer: SharedInformer<Namespace>;
  private readonly cache: SchedulerCache;
  private readonly picker: NodePicker;
  private readonly queue = new SchedulingQueue();
  private readonly gangs = new Map<string, Gang>();
  private readonly binder: Binder;
  private readonly reporter: PodReporter;
  private readonly timers = new Set<NodeJS.Timeout>();
  private running = false;
  private loopPending = false;
  private capacityFreed = false;
  /** Pods bound since start (for logs and benchmarks). */
  boundCount = 0;

  constructor(ctx: ControllerContext, options: KusciaSchedulerOptions = {}) {
    this.ctx = ctx;
    this.log = ctx.log.child({ component: 'kuscia-scheduler' });
    this.schedulerName = options.schedulerName ?? KUSCIA_SCHEDULER_NAME;
    this.defaultReservedSeconds = options.defaultResourceReservedSeconds ?? 30;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
    this.sliceMs = options.sliceMs ?? 10;
    this.cache = new SchedulerCache(new QuantityReader(), () => this.onCapacityFreed());
    this.picker = new NodePicker(this.cache);
    this.binder = new Binder(ctx.clients.pods, options.bindConcurrency ?? 32);
    const events =
      options.recordEvents === false
        ? undefined
        : new EventRecorder({
            client: new ResourceClient<CoreEvent>(ctx.clients.api, CoreResources.events),
            component: this.schedulerName,
            instance: `${this.schedulerName}-${hostname()}`,
            log: this.log,
            now: ctx.now,
          });
    this.reporter = new PodReporter({ pods: ctx.clients.pods, events, log: this.log, now: ctx.now });

    this.podInformer = ctx.informers.informerFor<Pod>(CoreResources.pods);
    this.podInformer.addIndexer(TASK_RESOURCE_INDEX, (pod) => {
      const tr = pod.metadata?.annotations?.[Annotations.TaskResource];
      return tr ? [`${pod.metadata?.namespace ?? ''}/${tr}`] : [];
    });
    this.trInformer = ctx.informers.informerFor<TaskResource>(KusciaResources.taskResources);
    this.trInformer.addIndexer(GROUP_UID_INDEX, (tr) => {
      const uid = taskResourceGroupUid(tr);
      return uid ? [uid] : [];
    });
    this.nodeInformer = ctx.informers.informerFor<Node>(CoreResources.nodes);
    this.partnerNamespaceInformer = ctx.informers.informerFor<Namespace>(CoreResources.namespaces, { labelSelector: `${Labels.DomainRole}=${PARTNER_ROLE}` });

    this.podInformer.addEventHandler({
      onAdd: (pod) => this.onPod(undefined, pod),
      onUpdate: (old, pod) => this.onPod(old, pod),
      onDelete: (pod) => this.onPodDeleted(pod),
    });
    this.trInformer.addEventHandler({
      onAdd: (tr) => this.enqueueGang(objectKey(tr)),
      onUpdate: (old, tr) => {
        // Only a phase change (or a resync) is worth an attempt; our own reason-only writes are not.
        if (old === tr || old.status?.phase !== tr.status?.phase) this.enqueueGang(objectKey(tr));
      },
      onDelete: (tr) => this.onTaskResourceDeleted(objectKey(tr)),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.cache.upsertNode(node),
      onUpdate: (_old, node) => this.cache.upsertNode(node),
      onDelete: (node) => this.cache.deleteNode(node.metadata?.name ?? ''),
    });
    this.partnerNamespaceInformer.addEventHandler({
      // A namespace that stops being a partner's may hold pods that are ours after all.
      onDelete: (ns) => this.enqueueNamespace(ns.metadata?.name ?? ''),
    });
  }

  run(): void {
    if (this.running) return;
    this.running = true;
    this.log.info({ gangs: this.gangs.size, queued: this.queue.activeCount, nodes: this.cache.nodeCount }, 'scheduler started');
    this.scheduleLoop();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const gang of this.gangs.values()) this.clearExpiry(gang);
    await this.binder.drain();
    await this.reporter.drain();
    this.log.info({ bound: this.boundCount }, 'scheduler stopped');
  }

  // ---- informer events ------------------------------------------------------------------------

  private onPod(old: Pod | undefined, pod: Pod): void {
    const key = objectKey(pod);
    const nodeName = pod.spec?.nodeName;
    const terminal = isPodTerminal(pod);
    if (nodeName) {
      if (terminal) this.cache.observeGone(key);
      else this.cache.observeBound(key, nodeName, () => podRequests(pod, this.cache.reader));
      return;
    }
    if (terminal || pod.metadata?.deletionTimestamp) {
      this.dropAssumption(key);
      return;
    }
    if (!this.isOurs(pod)) return;
    // Status-only updates (our own PodScheduled condition, for one) change nothing about placement.
    if (old && old !== pod && this.isOurs(old) && !old.spec?.nodeName && placementKeyOf(old) === placementKeyOf(pod)) return;
    this.enqueuePod(pod);
  }

  private onPodDeleted(pod: Pod): void {
    const key = objectKey(pod);
    this.dropAssumption(key);
    this.cache.observeGone(key);
    this.reporter.forget(key);
  }

  private onTaskResourceDeleted(key: string): void {
    const gang = this.gangs.get(key);
    if (!gang) return;
    this.releaseGang(gang);
    this.gangs.delete(key);
    this.queue.forget(gangUnitId(key));
  }

  private onCapacityFreed(): void {
    this.capacityFreed = true;
    this.scheduleLoop();
  }

  private isOurs(pod: Pod): boolean {
    if (pod.spec?.schedulerName !== this.schedulerName) return false;
    const ns = pod.metadata?.namespace ?? '';
    if (this.partnerNamespaceInformer.get('', ns)) {
      this.log.debug({ pod: objectKey(pod) }, `skip schedule partner namespace ${ns} pod`);
      return false;
    }
    return true;
  }

  private isPendingOurs(pod: Pod): boolean {
    return !pod.spec?.nodeName && !pod.metadata?.deletionTimestamp && !isPodTerminal(pod) && this.isOurs(pod);
  }

  private enqueueNamespace(namespace: string): void {
    for (const pod of this.podInformer.list(namespace)) if (this.isPendingOurs(pod)) this.enqueuePod(pod);
  }

  private enqueuePod(pod: Pod): void {
    const ann = pod.metadata?.annotations ?? {};
    if (!ann[Annotations.TaskResourceGroup]) {
      const key = objectKey(pod);
      this.queue.add({ id: podUnitId(key), name: key, priority: pod.spec?.priority ?? 0, createdMs: timeMs(pod.metadata?.creationTimestamp) });
      this.scheduleLoop();
      return;
    }
    // In a task resource group but not yet linked to its TaskResource: the TRG controller will.
    const tr = ann[Annotations.TaskResource];
    if (tr) this.enqueueGang(`${pod.metadata?.namespace ?? ''}/${tr}`, pod);
  }

  private enqueueGang(key: string, samplePod?: Pod): void {
    const tr = this.trInformer.getByKey(key);
    const pod = samplePod ?? this.podInformer.byIndex(TASK_RESOURCE_INDEX, key)[0];
    const createdMs = timeMs(tr?.metadata?.creationTimestamp ?? pod?.metadata?.creationTimestamp);
    this.queue.add({ id: gangUnitId(key), name: key, priority: pod?.spec?.priority ?? 0, createdMs });
    this.scheduleLoop();
  }

  // ---- the loop -------------------------------------------------------------------------------

  private scheduleLoop(): void {
    if (this.loopPending || !this.running) return;
    this.loopPending = true;
    setImmediate(() => this.runLoop());
  }

  /** Attempts queued units in order for at most one slice, then yields so API I/O can progress. */
  private runLoop(): void {
    this.loopPending = false;
    if (!this.running) return;
    if (this.capacityFreed) {
      this.capacityFreed = false;
      this.queue.moveAllToActive();
    }
    const deadline = performance.now() + this.sliceMs;
    for (let unit = this.queue.pop(); unit; unit = this.queue.pop()) {
      try {
        this.attempt(unit);
      } catch (err) {
        this.log.error({ err: describeError(err), unit: unit.id }, 'scheduling attempt failed');
      }
      if (performance.now() >= deadline) break;
    }
    if (this.queue.activeCount > 0 || this.capacityFreed) this.scheduleLoop();
  }

  private attempt(unit: QueuedUnit): void {
    if (unit.id.startsWith('gang:')) this.syncGang(unit.name, unit);
    else this.schedulePod(unit.name, unit);
  }

  /** A pod outside any task resource group: placed and bound on its own. */
  private schedulePod(key: string, unit: QueuedUnit): void {
    const pod = this.podInformer.getByKey(key);
    if (!pod || !this.isPendingOurs(pod) || pod.metadata?.annotations?.[Annotations.TaskResourceGroup] || this.cache.account(key)) return;
    const info = podInfoOf(pod, this.cache.reader);
    const nodeName = this.picker.pick(info);
    if (nodeName === undefined) {
      this.queue.park(unit);
      this.reporter.unschedulable(pod, this.picker.explain(info));
      return;
    }
    this.cache.assume(key, nodeName, info.request);
    this.bind(info, nodeName, undefined);
  }

  // ---- gangs ----------------------------------------------------------------------------------

  private syncGang(key: string, unit: QueuedUnit): void {
    const tr = this.trInformer.getByKey(key);
    let gang = this.gangs.get(key);
    if (!tr) {
      // "waiting for task resource": its pods are re-queued when it appears.
      if (gang) this.onTaskResourceDeleted(key);
      return;
    }
    if (!gang) this.gangs.set(key, (gang = newGang(key)));
    // An informer copy older than our own last write: wait for the newer one (parked, so a capacity
    // change still brings the gang back even if that copy changes nothing we react to).
    if (resourceVersionOf(tr) < gang.writtenRv) {
      this.queue.park(unit);
      return;
    }
    const phase = tr.status?.phase;
    if (phase === TaskResourcePhase.Schedulable) {
      this.clearExpiry(gang);
      this.bindAssumed(gang);
    }
    if (gang.writing) return;
    switch (phase) {
      case TaskResourcePhase.Failed:
        this.releaseGang(gang);
        gang.placed = false;
        return;
      case TaskResourcePhase.Reserving:
        // Reserving again after we reserved: the TaskResourceGroup controller is retrying.
        if (gang.placed) {
          this.releaseGang(gang);
          gang.placed = false;
        }
        this.reserve(gang, tr, unit);
        return;
      case TaskResourcePhase.Reserved:
        if (!gang.placed) this.recover(gang, tr, unit);
        return;
      case TaskResourcePhase.Schedulable:
        if (gang.placed) this.placeStragglers(gang, tr, unit);
        else this.recover(gang, tr, unit);
        return;
      default:
        // Pending (or no status yet): the TaskResourceGroup controller has not opened the reservation.
        return;
    }
  }

  /** Reserving: place at least minReservedPods on a statement, commit, and mark the TaskResource Reserved. */
  private reserve(gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
    const attempt = this.placeMinimum(gang, tr);
    if (!attempt) return;
    const { members, need, result } = attempt;
    if (!result.ok) {
      this.queue.park(unit);
      this.noteShortfall(gang, tr, result.message, members.pendingPods);
      return;
    }
    gang.shortfall = undefined;
    this.log.debug({ taskResource: gang.key, placed: result.placements.length, need }, 'reserved');
    this.writeTaskResource(
      gang,
      tr,
      (obj) => obj.status?.phase === TaskResourcePhase.Reserving && setTaskResourcePhase(obj, TaskResourcePhase.Reserved, RESERVED_REASON, this.nowTime()),
      (written) => {
        const phase = written.status?.phase;
        if (phase === TaskResourcePhase.Reserved) this.armExpiry(gang, tr);
        else if (phase !== TaskResourcePhase.Schedulable) this.abandon(gang);
      },
      () => this.abandon(gang),
    );
  }

  /**
   * Reserved or Schedulable without a reservation in memory (the scheduler restarted, or a party
   * became Schedulable without having reserved): place the gang again now; if it no longer fits the
   * TaskResource fails, with the reason, rather than binding part of it.
   */
  private recover(gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
    const phase = tr.status?.phase;
    const attempt = this.placeMinimum(gang, tr);
    if (!attempt) return;
    const { result } = attempt;
    if (!result.ok) {
      this.queue.park(unit);
      const reason = `schedule task resource ${gang.key} failed: it was ${phase} but the scheduler held no reservation for it (scheduler restart) and its pods no longer fit: ${result.message}`;
      this.log.info({ taskResource: gang.key, phase }, reason);
      this.writeTaskResource(gang, tr, (obj) => obj.status?.phase === phase && setTaskResourcePhase(obj, TaskResourcePhase.Failed, reason, this.nowTime()), () => undefined, () => undefined);
      return;
    }
    this.log.info({ taskResource: gang.key, phase, placed: result.placements.length }, 'reservation re-placed after restart');
    if (phase === TaskResourcePhase.Schedulable) this.bindAssumed(gang);
    else this.armExpiry(gang, tr);
  }

  /**
   * The statement both reserve and recover run: place enough of the gang's pending pods to reach
   * minReservedPods (counting those already bound), all or none, and on success record them as the
   * gang's assumptions. Undefined while fewer pods exist than minReservedPods (Kuscia's PreFilter:
   * "cannot find enough sibling pods" — their arrival re-queues the gang).
   */
  private placeMinimum(gang: Gang, tr: TaskResource): { members: GangPods; need: number; result: GangPlacement } | undefined {
    const members = this.gangPods(tr);
    const min = minReservedPods(tr, members.total);
    if (members.total < min) return undefined;
    const need = Math.max(0, min - members.bound);
    const result = placeGang(this.cache, this.picker, members.pending, need, gang.key);
    if (result.ok) {
      gang.placed = true;
      for (const p of result.placements) gang.assumed.set(p.pod.key, p.nodeName);
    }
    return { members, need, result };
  }

  /** Schedulable and reserved: pods that hold nothing (a failed binding, extra pods) are placed one by one. */
  private placeStragglers(gang: Gang, tr: TaskResource, unit: QueuedUnit): void {
    const members = this.gangPods(tr);
    let failure: { pod: Pod; message: string } | undefined;
    members.pending.forEach((pod, i) => {
      const nodeName = this.picker.pick(pod);
      if (nodeName === undefined) {
        failure ??= { pod: members.pendingPods[i]!, message: this.picker.explain(pod) };
        return;
      }
      this.cache.assume(pod.key, nodeName, pod.request, gang.key);
      gang.assumed.set(pod.key, nodeName);
    });
    this.bindAssumed(gang);
    if (failure) {
      this.queue.park(unit);
      this.reporter.unschedulable(failure.pod, failure.message);
    }
  }

  /** The gang does not fit: say why, on the TaskResource's Reserving condition and on its pods, once per change. */
  private noteShortfall(gang: Gang, tr: TaskResource, message: string, pods: Pod[]): void {
    if (gang.shortfall === message) return;
    gang.shortfall = message;
    this.log.debug({ taskResource: gang.key, message }, 'gang does not fit');
    for (const pod of pods) this.reporter.unschedulable(pod, message);
    if (conditionReason(tr, TaskResourcePhase.Reserving) === message) return;
    this.writeTaskResource(
      gang,
      tr,
      (obj) => obj.status?.phase === TaskResourcePhase.Reserving && setConditionReason(obj, TaskResourcePhase.Reserving, message, this.nowTime()),
      () => undefined,
      () => undefined,
    );
  }

  private armExpiry(gang: Gang, tr: TaskResource): void {
    this.clearExpiry(gang);
    const seconds = reservedSeconds(tr, this.defaultReservedSeconds);
    gang.expiry = setTimeout(() => {
      gang.expiry = undefined;
      this.expire(gang, seconds);
    }, seconds * 1000);
    gang.expiry.unref();
  }

  private clearExpiry(gang: Gang): void {
    if (gang.expiry) clearTimeout(gang.expiry);
    gang.expiry = undefined;
  }

  /** The reservation was not made Schedulable in time: release it and fail the TaskResource. */
  private expire(gang: Gang, seconds: number): void {
    if (!this.running || this.gangs.get(gang.key) !== gang || !gang.placed) return;
    const tr = this.trInformer.getByKey(gang.key);
    if (!tr) return this.onTaskResourceDeleted(gang.key);
    if (tr.status?.phase === TaskResourcePhase.Schedulable) return;
    if (gang.writing) {
      this.later(() => this.expire(gang, seconds), 200);
      return;
    }
    const group = taskResourceGroupUid(tr);
    const siblings = group ? siblingStatusInfo(this.trInformer.byIndex(GROUP_UID_INDEX, group)) : '';
    const reason = `schedule task resource ${gang.key} failed: reservation expired, not Schedulable within ${seconds} seconds${siblings ? `; ${siblings}` : ''}`;
    this.log.info({ taskResource: gang.key, seconds }, 'reservation expired');
    this.writeTaskResource(
      gang,
      tr,
      (obj) => {
        const phase = obj.status?.phase;
        if (phase === TaskResourcePhase.Schedulable || phase === TaskResourcePhase.Failed) return false;
        return setTaskResourcePhase(obj, TaskResourcePhase.Failed, reason, this.nowTime());
      },
      (written) => {
        if (written.status?.phase !== TaskResourcePhase.Schedulable) this.abandon(gang);
      },
      () => this.later(() => this.expire(gang, seconds), this.retryDelayMs),
    );
  }

  /**
   * One TaskResource write at a time per gang, conditional on the resourceVersion (re-read and
   * `mutate` re-applied on conflict; `mutate` returns false when the fresh object needs nothing).
   */
  private writeTaskResource(
    gang: Gang,
    tr: TaskResource,
    mutate: (obj: TaskResource) => boolean,
    onWritten: (written: TaskResource) => void,
    onError: (err: unknown) => void,
  ): void {
    gang.writing = true;
    updateStatusWithRetry(this.ctx.clients.taskResources, gang.namespace, gang.name, mutate, { current: tr })
      .then((written) => {
        gang.writtenRv = Math.max(gang.writtenRv, resourceVersionOf(written));
        onWritten(written);
      })
      .catch((err: unknown) => {
        if (isNotFound(err)) return this.onTaskResourceDeleted(gang.key);
        this.log.warn({ err: describeError(err), taskResource: gang.key }, 'task resource write failed');
        onError(err);
      })
      .finally(() => {
        gang.writing = false;
        if (this.gangs.get(gang.key) === gang) this.enqueueGang(gang.key);
      });
  }

  /** Our reservation is void (failed, expired, or could not be recorded). */
  private abandon(gang: Gang): void {
    this.releaseGang(gang);
    gang.placed = false;
  }

  /** Frees every assumption of the gang that is not being bound right now. */
  private releaseGang(gang: Gang): void {
    this.clearExpiry(gang);
    for (const podKey of [...gang.assumed.keys()]) {
      if (gang.binding.has(podKey)) continue;
      gang.assumed.delete(podKey);
      this.cache.forget(podKey);
    }
  }

  private dropAssumption(podKey: string): void {
    const acct = this.cache.account(podKey);
    if (!acct?.assumed) return;
    if (acct.owner) this.gangs.get(acct.owner)?.assumed.delete(podKey);
    this.cache.forget(podKey);
  }

  private gangPods(tr: TaskResource): GangPods {
    const key = objectKey(tr);
    const uid = tr.metadata?.uid;
    const pending: PodInfo[] = [];
    const pendingPods: Pod[] = [];
    let bound = 0;
    let total = 0;
    const pods = this.podInformer.byIndex(TASK_RESOURCE_INDEX, key);
    pods.sort((a, b) => ((a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1));
    for (const pod of pods) {
      // Kuscia counts the pods labelled with this TaskResource's uid (a namesake's pods do not belong).
      if (pod.metadata?.labels?.[Labels.TaskResourceUID] !== uid || isPodTerminal(pod) || !this.isOurs(pod)) continue;
      total++;
      if (pod.spec?.nodeName) {
        bound++;
        continue;
      }
      if (pod.metadata?.deletionTimestamp || this.cache.account(objectKey(pod))) continue;
      pending.push(podInfoOf(pod, this.cache.reader));
      pendingPods.push(pod);
    }
    return { pending, pendingPods, bound, total };
  }

  // ---- binding --------------------------------------------------------------------------------

  private bindAssumed(gang: Gang): void {
    for (const [podKey, nodeName] of gang.assumed) {
      if (gang.binding.has(podKey)) continue;
      const pod = this.podInformer.getByKey(podKey);
      if (!pod || pod.spec?.nodeName) {
        gang.assumed.delete(podKey);
        this.cache.forget(podKey);
        continue;
      }
      this.bind(podInfoOf(pod, this.cache.reader), nodeName, gang);
    }
  }

  private bind(pod: PodInfo, nodeName: string, gang: Gang | undefined): void {
    gang?.binding.add(pod.key);
    this.binder.bind({ namespace: pod.namespace, name: pod.name, uid: pod.uid, nodeName }, (err) => {
      gang?.binding.delete(pod.key);
      gang?.assumed.delete(pod.key);
      if (err === undefined) {
        this.boundCount++;
        this.reporter.scheduled(pod, nodeName);
        return;
      }
      // The assumption goes; the pod (if it still exists) is placed again with the usual checks.
      this.cache.forget(pod.key);
      if (isNotFound(err)) return;
      this.log.warn({ err: describeError(err), pod: pod.key, node: nodeName }, 'binding failed; pod re-queued');
      if (gang) this.later(() => this.enqueueGang(gang.key), this.retryDelayMs);
      else {
        this.later(() => {
          const current = this.podInformer.getByKey(pod.key);
          if (current && this.isPendingOurs(current)) this.enqueuePod(current);
        }, this.retryDelayMs);
      }
    });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private later(fn: () => void, ms: number): void {
    if (!this.running) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (this.running) fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  private nowTime(): string {
    return rfc3339(this.ctx.now());
  }
}

function newGang(key: string): Gang {
  const slash = key.indexOf('/');
  return { key, namespace: key.slice(0, slash), name: key.slice(slash + 1), assumed: new Map(), binding: new Set(), writing: false, writtenRv: 0, placed: false };
}

const gangUnitId = (trKey: string) => `gang:${trKey}`;
const podUnitId = (podKey: string) => `pod:${podKey}`;

/** The queue unit a pending pod belongs to (undefined: it waits for its TaskResource link). */
function unitIdOf(pod: Pod): string | undefined {
  const ann = pod.metadata?.annotations ?? {};
  if (!ann[Annotations.TaskResourceGroup]) return podUnitId(objectKey(pod));
  const tr = ann[Annotations.TaskResource];
  return tr ? gangUnitId(`${pod.metadata?.namespace ?? ''}/${tr}`) : undefined;
}

/** What links a pending pod to its unit: a change of it is worth a new attempt. */
function placementKeyOf(pod: Pod): string {
  return `${unitIdOf(pod) ?? ''}|${pod.metadata?.labels?.[Labels.TaskResourceUID] ?? ''}`;
}

function minReservedPods(tr: TaskResource, members: number): number {
  const min = tr.spec?.minReservedPods;
  return typeof min === 'number' && min > 0 ? min : members;
}

function reservedSeconds(tr: TaskResource, fallback: number): number {
  const s = tr.spec?.resourceReservedSeconds;
  return typeof s === 'number' && s > 0 ? s : fallback;
}

function timeMs(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/** resourceVersion as a number for "is this copy older than our write" (0 when it is not numeric). */
function resourceVersionOf(obj: { metadata?: { resourceVersion?: string } }): number {
  const rv = Number(obj.metadata?.resourceVersion);
  return Number.isFinite(rv) ? rv : 0;
}
