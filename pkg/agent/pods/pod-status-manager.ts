import type { Logger } from 'pino';
import type { KubeApi } from '../../kube/api-client.ts';
import { describeError, isNotFound } from '../../kube/api-errors.ts';
import { collectionPath } from '../../kube/client.ts';
import { CoreResources } from '../../kube/resources.ts';
import type { Pod } from '../../kube/wire.ts';
import type { PodAddresses } from '../inputs/field-refs.ts';
import type { PodStatus, RuntimePodRef } from '../runtime/pod-runtime.ts';

export const AGENT_FIELD_MANAGER = 'kuscia-agent';

/** Retry delay of a status write that failed for another reason than the pod being gone. */
const RETRY_MS = 1000;

export interface PodStatusManagerOptions {
  api: KubeApi;
  /** The API's current pod by key (the informer's cache), to merge with and to check it is still the same pod. */
  currentPod: (namespace: string, name: string) => Pod | undefined;
  addresses: PodAddresses;
  now: () => Date;
  log: Logger;
}

interface Entry {
  ref: RuntimePodRef;
  status: PodStatus;
  /** The JSON of the last status written for this pod: a push that would write the same is no write. */
  written?: string;
  dirty: boolean;
  writing?: Promise<void>;
  retry?: NodeJS.Timeout;
}

const TERMINAL = new Set(['Succeeded', 'Failed']);

/**
 * The kubelet's status manager: the runtime (or the agent, for input errors) pushes a pod's status,
 * it is completed with what only the agent knows (hostIP/podIP, startTime, the API's own
 * conditions such as PodScheduled) and written with a merge PATCH of pods/status — only when it
 * differs from what was last written, one write in flight per pod, the newest status winning.
 * A pod that reached Succeeded/Failed in the API is never moved back to a running phase.
 */
export class PodStatusManager {
  private readonly opts: PodStatusManagerOptions;
  private readonly entries = new Map<string, Entry>();
  /** When the agent first took each pod on: its startTime unless the runtime reports one. */
  private readonly acceptedAt = new Map<string, string>();
  private stopped = false;

  constructor(opts: PodStatusManagerOptions) {
    this.opts = opts;
  }

  /** The pod is now the agent's: its startTime (kubelet: when the pod was first acknowledged). */
  accept(uid: string): void {
    if (!this.acceptedAt.has(uid)) this.acceptedAt.set(uid, apiTime(this.opts.now()));
  }

  push(ref: RuntimePodRef, status: PodStatus): void {
    if (this.stopped) return;
    let entry = this.entries.get(ref.uid);
    if (!entry) this.entries.set(ref.uid, (entry = { ref, status, dirty: true }));
    entry.ref = ref;
    entry.status = status;
    entry.dirty = true;
    this.kick(entry);
  }

  /** Resolves once the newest pushed status of the pod has been written (or dropped: pod gone). */
  async flush(uid: string): Promise<void> {
    for (;;) {
      const entry = this.entries.get(uid);
      if (!entry) return;
      if (entry.writing) {
        await entry.writing;
        continue;
      }
      if (!entry.dirty) return;
      clearTimeout(entry.retry);
      entry.retry = undefined;
      this.kick(entry);
    }
  }

  /** Flushes every pod, giving up after `timeoutMs` (an agent stopping must not hang on a lost API server). */
  async flushAll(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.all([...this.entries.keys()].map((uid) => this.flush(uid))), timeout]);
    clearTimeout(timer);
  }

  forget(uid: string): void {
    const entry = this.entries.get(uid);
    if (entry) clearTimeout(entry.retry);
    this.entries.delete(uid);
    this.acceptedAt.delete(uid);
  }

  /** Finishes writes in flight; later pushes are ignored. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.entries.values()) clearTimeout(entry.retry);
    await Promise.all([...this.entries.values()].map((e) => e.writing));
  }

  private kick(entry: Entry): void {
    if (entry.writing || entry.retry) return;
    entry.writing = this.writeLoop(entry).finally(() => (entry.writing = undefined));
  }

  private async writeLoop(entry: Entry): Promise<void> {
    while (entry.dirty && !this.stopped) {
      entry.dirty = false;
      const ok = await this.write(entry);
      if (!ok) {
        entry.dirty = true;
        entry.retry = setTimeout(() => {
          entry.retry = undefined;
          if (this.entries.get(entry.ref.uid) === entry) this.kick(entry);
        }, RETRY_MS);
        entry.retry.unref();
        return;
      }
    }
  }

  /** One write of the newest status; false = failed, retry later. */
  private async write(entry: Entry): Promise<boolean> {
    const { ref } = entry;
    const log = this.opts.log.child({ pod: `${ref.namespace}/${ref.name}`, uid: ref.uid });
    const current = this.opts.currentPod(ref.namespace, ref.name);
    // Gone from the API, or a namesake: nothing to write to (the worker cleans up the runtime's pod).
    if (current && current.metadata?.uid !== ref.uid) return true;
    const status = this.complete(entry.status, current, ref.uid);
    const currentPhase = current?.status?.phase ?? '';
    if (TERMINAL.has(currentPhase) && status.phase !== currentPhase) {
      log.warn({ from: currentPhase, to: status.phase }, 'refusing to move a finished pod to another phase');
      return true;
    }
    const text = JSON.stringify(status);
    if (text === entry.written) return true;
    try {
      const path = `${collectionPath(CoreResources.pods, ref.namespace)}/${encodeURIComponent(ref.name)}/status`;
      await this.opts.api.request('PATCH', path, { body: { status }, contentType: 'application/merge-patch+json', query: { fieldManager: AGENT_FIELD_MANAGER } });
      entry.written = text;
      log.debug({ phase: status.phase }, 'pod status written');
      return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      log.warn({ err: describeError(err) }, 'pod status write failed; retrying');
      return false;
    }
  }

  private complete(status: PodStatus, current: Pod | undefined, uid: string): PodStatus {
    const { podIP, hostIP } = this.opts.addresses;
    const own = new Set((status.conditions ?? []).map((c) => c.type));
    // Conditions other components own (PodScheduled from the scheduler, readiness gates) are kept:
    // a merge patch replaces the whole list.
    const kept = (current?.status?.conditions ?? []).filter((c) => !own.has(c.type));
    return {
      ...status,
      conditions: [...kept, ...(status.conditions ?? [])],
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: status.startTime ?? current?.status?.startTime ?? this.acceptedAt.get(uid) ?? apiTime(this.opts.now()),
    };
  }
}

function apiTime(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
