import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { V1Container } from '@kubernetes/client-node';
import { parseQuantity, quantityValue } from '../../../controllers/common/quantity.ts';
import type { Wire } from '../../../kube/wire.ts';
import type { BuiltinImages } from '../../images/builtin-images.ts';
import { containerLogFile } from '../../logs/layout.ts';
import type { PodStatus, ResolvedPod, RuntimePodRef } from '../pod-runtime.ts';
import { kubeTime, podConditions, podPhase, type ContainerStatus } from '../pod-status.ts';
import { ContainerBackoff, type BackoffPolicy } from './backoff.ts';
import type { MemoryCgroup, MemoryCgroups } from './cgroup.ts';
import { startContainerProcess, StartError, type RunningProcess } from './container-process.ts';
import { terminatedReason, UNKNOWN_ON_TERMINATION, waiting, type TerminatedState } from './container-state.ts';
import { CriLogWriter } from './cri-log-writer.ts';
import { expandVars } from '../../expand-vars.ts';
import { processEnv } from './host-env.ts';
import { killGroup, signalGroup, waitGroupGone } from './process-group.ts';
import { processIdentity, removeProcessRecord, writeProcessRecord } from './process-record.ts';
import { Sandbox } from './sandbox.ts';
import { terminationMessage } from './termination-message.ts';

type Container = Wire<V1Container>;

export interface PodWorkerDeps {
  rootDir: string;
  logRoot: string;
  images: BuiltinImages;
  /** Node-provided variables (the gateway proxy), under the image's and the container's env. */
  nodeEnv: Readonly<Record<string, string>>;
  /** Undefined: memory limits are not enforced on this host. */
  cgroups: MemoryCgroups | undefined;
  backoff: BackoffPolicy;
  now: () => Date;
  log: Logger;
  publish: (ref: RuntimePodRef, status: PodStatus) => void;
  /** Called when a container has a memory limit the host cannot enforce (the runtime logs it once). */
  limitsNotEnforced: () => void;
}

/** One container of the pod: its spec, its current status and the process of its current run. */
interface ContainerRecord {
  spec: Container;
  init: boolean;
  status: ContainerStatus;
  backoff: ContainerBackoff;
  workingDir: string;
  terminationFile: string;
  process?: RunningProcess;
}

type RunOutcome = { exitCode: number; ranMs: number } | 'blocked';

/**
 * Runs one pod: prepares the sandbox, runs init containers in order, then the containers in
 * parallel, restarts them per restartPolicy with the kubelet's back-off, and publishes the pod
 * status (pod-status.ts) on every change, until the pod finishes or is killed.
 */
export class PodWorker {
  readonly ref: RuntimePodRef;
  readonly sandbox: Sandbox;
  private readonly resolved: ResolvedPod;
  private readonly deps: PodWorkerDeps;
  private readonly log: Logger;
  private readonly records = new Map<string, ContainerRecord>();
  private readonly startTime: string;
  private sandboxReady = false;
  /** No restarts any more: killed, or every container finished for good. */
  private terminal = false;
  private killing = false;
  private readonly wakeups = new Set<() => void>();
  private current: PodStatus;
  private lifecycle: Promise<void> = Promise.resolve();

  constructor(resolved: ResolvedPod, deps: PodWorkerDeps) {
    this.resolved = resolved;
    this.deps = deps;
    const meta = resolved.pod.metadata ?? {};
    this.ref = { uid: meta.uid ?? '', namespace: meta.namespace ?? '', name: meta.name ?? '' };
    this.log = deps.log.child({ pod: `${this.ref.namespace}/${this.ref.name}`, uid: this.ref.uid });
    this.sandbox = new Sandbox(deps.rootDir, this.ref.uid);
    this.startTime = kubeTime(deps.now());
    const spec = resolved.pod.spec ?? { containers: [] };
    for (const [init, list] of [[true, spec.initContainers ?? []], [false, spec.containers]] as const) {
      for (const c of list) {
        this.records.set(c.name, {
          spec: c,
          init,
          status: { name: c.name, state: waiting.creating(), ready: false, restartCount: 0, image: c.image ?? '', imageID: '', started: false },
          backoff: new ContainerBackoff(deps.backoff),
          workingDir: this.sandbox.workingDir(c.name, c.workingDir),
          terminationFile: this.sandbox.terminationMessageFile(c.name, c.terminationMessagePath),
        });
      }
    }
    // While init containers run, the others wait with the kubelet's PodInitializing.
    if (spec.initContainers?.length) for (const r of this.records.values()) if (!r.init) r.status.state = { waiting: { reason: 'PodInitializing' } };
    this.current = this.buildStatus();
  }

  start(): void {
    this.publish();
    this.lifecycle = this.run().catch((err: unknown) => {
      this.log.error({ err: (err as Error).message }, 'pod worker failed');
    });
  }

  /** The pod's terminationGracePeriodSeconds (used when the runtime stops). */
  get gracePeriodSeconds(): number | undefined {
    return this.resolved.pod.spec?.terminationGracePeriodSeconds;
  }

  status(): PodStatus {
    return this.current;
  }

  /** SIGTERM every container's group, SIGKILL after the grace period; resolves once nothing runs and the final status is out. */
  async kill(gracePeriodSeconds: number): Promise<void> {
    this.terminal = true;
    this.killing = true;
    for (const wake of this.wakeups) wake();
    const graceMs = Math.max(0, gracePeriodSeconds) * 1000;
    await Promise.all([...this.records.values()].map((r) => (r.process ? killGroup(r.process.pid, graceMs) : undefined)));
    await this.lifecycle;
    for (const r of this.records.values()) {
      if (r.status.state?.terminated) continue;
      r.status.state = { terminated: r.status.lastState?.terminated ?? { ...UNKNOWN_ON_TERMINATION } };
      r.status.ready = false;
      r.status.started = false;
    }
    this.publish();
  }

  private async run(): Promise<void> {
    try {
      for (const r of this.records.values()) await this.sandbox.prepareContainer(r.workingDir, r.terminationFile, this.resolved.containers[r.spec.name]?.mounts ?? []);
    } catch (err) {
      const message = (err as Error).message;
      for (const r of this.records.values()) r.status.state = waiting.createConfigError(message);
      this.log.warn({ err: message }, 'sandbox preparation failed');
      this.publish();
      return;
    }
    this.sandboxReady = true;
    const restartPolicy = this.resolved.pod.spec?.restartPolicy ?? 'Always';
    for (const r of this.records.values()) {
      if (!r.init) continue;
      for (;;) {
        const outcome = await this.runOnce(r);
        if (outcome === 'blocked' || this.killing) return;
        if (outcome.exitCode === 0) break;
        // A failed init container fails the pod under Never; otherwise it is retried (even under Always).
        if (restartPolicy === 'Never') {
          this.terminal = true;
          this.publish();
          return;
        }
        if (!(await this.backoffWait(r, outcome.ranMs))) return;
      }
    }
    for (const r of this.records.values()) if (!r.init) r.status.state = waiting.creating();
    await Promise.all([...this.records.values()].filter((r) => !r.init).map((r) => this.runLoop(r, restartPolicy)));
    if (!this.killing) {
      this.terminal = true;
      this.publish();
    }
  }

  private async runLoop(r: ContainerRecord, restartPolicy: string): Promise<void> {
    for (;;) {
      const outcome = await this.runOnce(r);
      if (outcome === 'blocked' || this.killing) return;
      const restart = restartPolicy === 'Always' || (restartPolicy === 'OnFailure' && outcome.exitCode !== 0);
      if (!restart) return;
      if (!(await this.backoffWait(r, outcome.ranMs))) return;
    }
  }

  /** Starts one run of a container and waits for it to end. */
  private async runOnce(r: ContainerRecord): Promise<RunOutcome> {
    const image = this.deps.images.lookup(r.spec.image ?? '');
    if (!image) {
      // The kubelet keeps retrying the pull; the container waits until the pod is deleted.
      r.status.state = waiting.imageNeverPull(r.spec.image ?? '');
      this.publish();
      return 'blocked';
    }
    const inputs = this.resolved.containers[r.spec.name] ?? { env: {}, mounts: [] };
    const containerID = `runp://${randomBytes(32).toString('hex')}`;
    const isRestart = r.status.containerID !== undefined;
    if (isRestart) {
      if (r.status.state?.terminated) r.status.lastState = { terminated: r.status.state.terminated };
      r.status.restartCount = (r.status.restartCount ?? 0) + 1;
    }
    r.status.containerID = containerID;
    r.status.imageID = this.deps.images.imageID(r.spec.image ?? '');
    const logFile = containerLogFile(this.deps.logRoot, this.ref.namespace, this.ref.name, this.ref.uid, r.spec.name, r.status.restartCount ?? 0);
    const startedAt = this.deps.now();
    const env = processEnv(process.env, image, inputs.env, r.terminationFile, this.deps.nodeEnv);
    const argv = [...(r.spec.command ?? image.entrypoint ?? []), ...(r.spec.args ?? [])].map((a) => expandVars(a, (name) => (Object.hasOwn(env, name) ? env[name] : undefined)));
    await this.sandbox.resetTerminationFile(r.terminationFile);
    const logWriter = new CriLogWriter(logFile, this.deps.now);
    let cgroup: MemoryCgroup | undefined;
    try {
      cgroup = await this.memoryCgroup(r, containerID);
      if (this.killing) {
        // Killed while this run was being prepared: it must not start after kill() looked for processes.
        await logWriter.done();
        await cgroup?.remove();
        return 'blocked';
      }
      r.process = startContainerProcess({ argv, env, cwd: r.workingDir, log: logWriter, ...(cgroup ? { cgroupProcsFile: cgroup.procsFile } : {}) });
      this.recordProcess(r, containerID, cgroup);
    } catch (err) {
      if (!(err instanceof StartError)) throw err;
      await logWriter.done();
      await cgroup?.remove();
      const at = kubeTime(this.deps.now());
      r.status.state = { terminated: { exitCode: 128, reason: 'StartError', message: err.message, startedAt: '1970-01-01T00:00:00Z', finishedAt: at, containerID } };
      r.status.started = false;
      r.status.ready = false;
      this.publish();
      return { exitCode: 128, ranMs: 0 };
    }
    r.status.state = { running: { startedAt: kubeTime(startedAt) } };
    r.status.started = true;
    // No probes in RunP: a running regular container is ready; an init container never is.
    r.status.ready = !r.init;
    this.publish();

    const { exitCode } = await r.process.exited;
    // The container ends with its main process (as with a PID namespace): nothing it forked survives.
    signalGroup(r.process.pid, 'SIGKILL');
    // A group that outlives the wait keeps its record, for the next start of the runtime to sweep.
    if (await waitGroupGone(r.process.pid, 5_000)) await removeProcessRecord(this.sandbox.dir, containerID);
    r.process = undefined;
    await logWriter.done();
    const oomKilled = (await cgroup?.oomKilled()) ?? false;
    await cgroup?.remove();
    const finishedAt = this.deps.now();
    const message = await terminationMessage({ messageFile: r.terminationFile, logFile, policy: r.spec.terminationMessagePolicy, exitCode });
    const terminated: TerminatedState = {
      exitCode,
      reason: terminatedReason(exitCode, oomKilled),
      startedAt: kubeTime(startedAt),
      finishedAt: kubeTime(finishedAt),
      containerID,
    };
    if (message) terminated.message = message;
    r.status.state = { terminated };
    r.status.ready = false;
    r.status.started = false;
    this.publish();
    return { exitCode, ranMs: finishedAt.getTime() - startedAt.getTime() };
  }

  /** Waits the container's back-off, showing CrashLoopBackOff; false when the pod was killed meanwhile. */
  private async backoffWait(r: ContainerRecord, ranMs: number): Promise<boolean> {
    const delay = r.backoff.next(ranMs);
    if (delay > 0) {
      if (r.status.state?.terminated) r.status.lastState = { terminated: r.status.state.terminated };
      r.status.state = waiting.crashLoop(delay, r.spec.name, this.ref.name, this.ref.namespace, this.ref.uid);
      this.publish();
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakeups.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, delay);
        this.wakeups.add(wake);
      });
      // Restore the terminated state so runOnce moves it to lastState as for an immediate restart.
      if (r.status.lastState?.terminated) r.status.state = { terminated: r.status.lastState.terminated };
    }
    return !this.killing;
  }

  /**
   * Writes down the process for the sweep after an agent crash (leftover-sweep.ts). Without /proc
   * nothing tells this process from a later holder of its pid, so nothing is recorded (and nothing
   * will be killed). A record that cannot be written never fails the container.
   */
  private recordProcess(r: ContainerRecord, containerID: string, cgroup: MemoryCgroup | undefined): void {
    const pid = r.process!.pid;
    const identity = processIdentity(pid);
    if (!identity) return;
    try {
      writeProcessRecord(this.sandbox.dir, {
        containerID,
        container: r.spec.name,
        pgid: pid,
        ...identity,
        ...(cgroup ? { cgroupDir: dirname(cgroup.procsFile) } : {}),
      });
    } catch (err) {
      this.log.warn({ container: r.spec.name, err: (err as Error).message }, 'could not record the container process; an agent crash would leave it running');
    }
  }

  private async memoryCgroup(r: ContainerRecord, containerID: string): Promise<MemoryCgroup | undefined> {
    const limit = r.spec.resources?.limits?.['memory'];
    if (limit === undefined) return undefined;
    if (!this.deps.cgroups) {
      this.deps.limitsNotEnforced();
      return undefined;
    }
    try {
      const bytes = quantityValue(parseQuantity(String(limit)));
      return await this.deps.cgroups.create(`${this.ref.uid}-${containerID.slice(-12)}`, bytes);
    } catch (err) {
      // Never fail a pod for a limit the host cannot enforce.
      this.log.warn({ container: r.spec.name, err: (err as Error).message }, 'memory limit not enforced');
      return undefined;
    }
  }

  private buildStatus(): PodStatus {
    const all = [...this.records.values()];
    const statuses = all.filter((r) => !r.init).map((r) => structuredClone(r.status));
    const initStatuses = all.filter((r) => r.init).map((r) => structuredClone(r.status));
    const pod = this.resolved.pod;
    const phase = podPhase(pod, statuses, initStatuses, this.terminal);
    const status: PodStatus = {
      phase,
      conditions: podConditions(pod, phase, statuses, initStatuses, this.sandboxReady, this.deps.now(), this.current?.conditions ?? []),
      startTime: this.startTime,
      containerStatuses: statuses,
    };
    if (initStatuses.length > 0) status.initContainerStatuses = initStatuses;
    return status;
  }

  private publish(): void {
    this.current = this.buildStatus();
    try {
      this.deps.publish(this.ref, this.current);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'pod status listener threw');
    }
  }
}
