import type { Logger } from 'pino';
import type { Pod, Wire } from '../../kube/wire.ts';
import type { V1PodStatus } from '@kubernetes/client-node';

export type PodStatus = Wire<V1PodStatus>;

/**
 * The contract between the agent and a runtime (RunP now; RunC and RunK next), in the shape of
 * virtual-kubelet's PodLifecycleHandler + PodNotifier (anchors.md §6): the agent decides *which*
 * pods should run on its node and resolves their inputs; the runtime makes them run, owns container
 * restarts (restartPolicy, back-off) and pushes every status change. The runtime never talks to the
 * API server: everything it needs arrives in a ResolvedPod, everything it knows leaves as PodStatus.
 */
export interface PodRuntime {
  /** `runp`, `runc` or `runk`: the node label `kuscia.secretflow/runtime`. */
  readonly name: RuntimeName;
  /** Prepare (directories, image store); adopt or clean what a previous agent run left. */
  start(): Promise<void>;
  /** Stop the runtime on agent exit: kill every pod's processes (grace per pod), release resources. */
  stop(): Promise<void>;
  /**
   * Run a pod. Idempotent per pod uid: a second call for a pod the runtime already has is a no-op.
   * Failures to start (unknown image, bad command) are not thrown: they become container states
   * (waiting reason ErrImageNeverPull, terminated with reason StartError / ContainerCannotRun, ...)
   * pushed through onPodStatus. Throws only when the runtime itself is broken.
   */
  createPod(pod: ResolvedPod): Promise<void>;
  /**
   * Stop a pod: SIGTERM to every container's process group, SIGKILL after `gracePeriodSeconds`.
   * Resolves when no process of the pod is left; then the pod's terminal status has been pushed
   * (every container terminated; the phase follows the exit codes as the kubelet's getPhase does, so
   * a container that handles SIGTERM and exits 0 leaves the pod Succeeded). May be
   * called more than once. The pod's files (sandbox, logs) stay until `removePod`.
   */
  killPod(uid: string, gracePeriodSeconds: number): Promise<void>;
  /** Forget a pod that is killed and deleted from the API: remove its sandbox (logs are kept). */
  removePod(uid: string): Promise<void>;
  /** The latest status of a pod the runtime has, or undefined. */
  getPodStatus(uid: string): PodStatus | undefined;
  /** Every pod the runtime has, running or finished (until removePod). */
  listPods(): RuntimePodRef[];
  /** Push notifications: called on every change of a pod's status (must not throw; may be async-unaware). */
  onPodStatus(listener: (ref: RuntimePodRef, status: PodStatus) => void): void;
}

export type RuntimeName = 'runp' | 'runc' | 'runk';

export interface RuntimePodRef {
  uid: string;
  namespace: string;
  name: string;
}

/** A pod as the agent hands it to the runtime: the API object plus every input already resolved. */
export interface ResolvedPod {
  pod: Pod;
  /** Per container name (init containers included), in spec order. */
  containers: Record<string, ContainerInputs>;
}

export interface ContainerInputs {
  /**
   * The container's final environment: the agent's own variables (KUSCIA_DOMAIN_ID, ...), then
   * envFrom, then env (later wins, as the kubelet does), with $(VAR) references expanded.
   */
  env: Record<string, string>;
  /** What the container's volumeMounts should show, resolved from ConfigMaps, Secrets, emptyDirs. */
  mounts: ResolvedMount[];
}

export interface ResolvedMount {
  /** As written in the pod spec (absolute, or relative to the working directory as Kuscia's AppImages use). */
  mountPath: string;
  readOnly: boolean;
  /**
   * Files under the mount: `path` is relative to mountPath; a subPath mount of one file has a
   * single entry with path ''. An emptyDir has no files and is created empty.
   */
  files: Array<{ path: string; content: string | Buffer; mode?: number }>;
}

/** What every runtime is constructed with. */
export interface RuntimeOptions {
  /** The agent's state root (e.g. $KUSCIA_HOME/<domain>/agent): sandboxes, logs, images live below. */
  rootDir: string;
  log: Logger;
  /** Clock, for tests. */
  now?: () => Date;
}
