/**
 * A stand-in for Kuscia's node agent in integration tests and benchmarks (not the product agent):
 * it registers Nodes the way the agent does (domain label, agent taint, capacity, Ready) and plays
 * kubelet for the pods bound to them, writing the pod status a kubelet would — Running with its
 * conditions and container states, then Succeeded/Failed with the container's terminated state — as
 * the test's behaviour callback decides per pod. Pods marked for deletion are removed (grace 0,
 * uid precondition), as a kubelet does once its containers are gone.
 *
 * Cheap enough for a thousand nodes: nodes are registered in parallel batches, one pod watch serves
 * all of them, and heartbeats are off unless asked for.
 */
import type { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { makeKusciaClients, type KusciaClients } from '../../pkg/controllers/common/clients.ts';
import { AgentTaint, BANDWIDTH_RESOURCE, Labels } from '../../pkg/crd/constants.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { describeError, isAlreadyExists, isNotFound } from '../../pkg/kube/api-errors.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import { objectKey } from '../../pkg/kube/object-key.ts';
import { CoreResources } from '../../pkg/kube/resources.ts';
import type { Node, Pod } from '../../pkg/kube/wire.ts';

export type PodOutcome = 'succeed' | 'fail' | 'run' | 'hold';

export interface PodBehaviour {
  outcome: PodOutcome;
  /** Delay before the pod is reported Running (or, for 'hold', before its waiting state). Default 0. */
  startDelayMs?: number;
  /** How long it runs before Succeeded / Failed. Default 0. */
  runMs?: number;
  /** Container exit code (default 0 for succeed, 1 for fail). */
  exitCode?: number;
  /** Container termination message (what the app wrote to its termination log). */
  message?: string;
  /** Terminated reason (default Completed / Error). */
  reason?: string;
  /** 'hold' only: report the container waiting with this reason (e.g. ImagePullBackOff). */
  waitingReason?: string;
  waitingMessage?: string;
  restartCount?: number;
}

export type BehaviourFn = (pod: Pod) => PodOutcome | PodBehaviour;

export interface TestAgentNode {
  name: string;
  /** The Kuscia domain the node serves (label kuscia.secretflow/namespace). */
  domain: string;
  cpu: string;
  memory: string;
  pods: string | number;
  bandwidth?: string;
  labels?: Record<string, string>;
}

export interface TestAgentOptions {
  /** Where to connect; or pass `clients` to reuse a connection pool (the watch goes through it too). */
  kubeConfig?: KubeConfig;
  clients?: KusciaClients;
  /** Share an informer factory (its pod informer) instead of opening the agent's own watch; start it yourself. */
  informers?: SharedInformerFactory;
  nodes: TestAgentNode[];
  log?: Logger;
  /** What each bound pod does (default: run and stay Running). */
  behaviour?: BehaviourFn;
  /** Node creations in flight at once (default 32). */
  registrationConcurrency?: number;
  /** Renew every node's Ready heartbeat this often (0 = never, the default). */
  heartbeatIntervalMs?: number;
  kubeletVersion?: string;
}

export interface TestAgent {
  /** Registers another node (e.g. capacity appearing for a waiting gang). */
  addNode(node: TestAgentNode): Promise<void>;
  setNodeReady(name: string, ready: boolean): Promise<void>;
  /** Names of the nodes this agent serves. */
  nodeNames(): string[];
  /** Status writes that failed (other than for pods that were gone). */
  readonly errors: string[];
  stop(): Promise<void>;
}

const DEFAULT_KUBELET_VERSION = 'v1.33.5+kuscia-test-agent';

export async function startTestAgent(options: TestAgentOptions): Promise<TestAgent> {
  const log = (options.log ?? pino({ level: 'silent' })).child({ component: 'test-agent' });
  const ownApi = options.clients ? undefined : new KubeApi(requireKubeConfig(options));
  const clients = options.clients ?? makeKusciaClients(ownApi!);
  const factory = options.informers ?? new SharedInformerFactory({ api: clients.api, log });
  const behaviour = options.behaviour ?? (() => 'run' as const);
  const kubeletVersion = options.kubeletVersion ?? DEFAULT_KUBELET_VERSION;
  const nodes = new Set<string>();
  /** Pod uid → timers still to fire for it. */
  const timers = new Map<string, Set<NodeJS.Timeout>>();
  /** Pod uids already taken care of (started, or being removed). */
  const handled = new Set<string>();
  const removing = new Set<string>();
  const errors: string[] = [];
  let stopped = false;
  let podIpCounter = 0;

  const later = (uid: string, ms: number, fn: () => Promise<void>) => {
    const run = () => {
      timers.get(uid)?.delete(timer);
      if (!stopped) void fn();
    };
    const timer = setTimeout(run, ms);
    let set = timers.get(uid);
    if (!set) timers.set(uid, (set = new Set()));
    set.add(timer);
  };
  const cancel = (uid: string) => {
    for (const t of timers.get(uid) ?? []) clearTimeout(t);
    timers.delete(uid);
  };

  const writeStatus = async (pod: Pod, status: Record<string, unknown>) => {
    const { namespace = '', name = '' } = pod.metadata ?? {};
    try {
      await clients.pods.patch(namespace, name, { status }, { type: 'merge', subresource: 'status' });
    } catch (err) {
      if (isNotFound(err) || stopped) return;
      errors.push(`${namespace}/${name}: ${describeError(err)}`);
      log.warn({ err: describeError(err), pod: `${namespace}/${name}` }, 'pod status write failed');
    }
  };

  const startPod = (pod: Pod) => {
    const uid = pod.metadata?.uid ?? '';
    const picked = behaviour(pod);
    const b: PodBehaviour = typeof picked === 'string' ? { outcome: picked } : picked;
    const podIP = `10.42.${(podIpCounter >> 8) & 255}.${podIpCounter++ & 255}`;
    const startedAt = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (b.outcome === 'hold') {
      if (b.waitingReason) later(uid, b.startDelayMs ?? 0, () => writeStatus(pod, waitingStatus(pod, b, podIP)));
      return;
    }
    later(uid, b.startDelayMs ?? 0, async () => {
      const since = startedAt();
      await writeStatus(pod, runningStatus(pod, podIP, since));
      if (b.outcome === 'run') return;
      later(uid, b.runMs ?? 0, () => writeStatus(pod, terminatedStatus(pod, b, podIP, since, startedAt())));
    });
  };

  const removePod = async (pod: Pod) => {
    const uid = pod.metadata?.uid ?? '';
    const { namespace = '', name = '' } = pod.metadata ?? {};
    try {
      await clients.pods.delete(namespace, name, { gracePeriodSeconds: 0, uid });
    } catch (err) {
      // Gone already, or a namesake with another uid: nothing of ours is left to remove.
      if (!isNotFound(err) && !stopped && !String(describeError(err)).includes('Precondition')) {
        errors.push(`delete ${namespace}/${name}: ${describeError(err)}`);
        log.warn({ err: describeError(err), pod: `${namespace}/${name}` }, 'pod removal failed');
      }
    }
  };

  const onPod = (pod: Pod) => {
    if (stopped) return;
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || !nodes.has(nodeName)) return;
    const uid = pod.metadata?.uid ?? '';
    if (pod.metadata?.deletionTimestamp) {
      if (removing.has(uid)) return;
      removing.add(uid);
      cancel(uid);
      void removePod(pod);
      return;
    }
    if (handled.has(uid)) return;
    handled.add(uid);
    startPod(pod);
  };

  const podInformer = factory.informerFor<Pod>(CoreResources.pods);
  podInformer.addEventHandler({
    onAdd: onPod,
    onUpdate: (_old, pod) => onPod(pod),
    onDelete: (pod) => {
      const uid = pod.metadata?.uid ?? '';
      cancel(uid);
      handled.delete(uid);
      removing.delete(uid);
      log.debug({ pod: objectKey(pod) }, 'pod gone');
    },
  });

  const register = async (spec: TestAgentNode) => {
    const node = nodeObject(spec, kubeletVersion);
    try {
      await clients.nodes.create(node);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      // Re-registration after a restart: the node is ours again, with these labels and taints.
      await clients.nodes.patch('', spec.name, { metadata: { labels: node.metadata?.labels }, spec: node.spec }, { type: 'merge' });
    }
    // Status goes through nodes/status, as the kubelet's node status updates do (a create keeps none).
    await clients.nodes.patch('', spec.name, { status: node.status }, { type: 'merge', subresource: 'status' });
    nodes.add(spec.name);
  };

  await runInBatches(options.nodes, options.registrationConcurrency ?? 32, register);
  if (!options.informers) {
    await factory.start();
    if (!(await factory.waitForCacheSync(30_000))) throw new Error('test agent: pod informer did not sync');
  }
  log.info({ nodes: nodes.size }, 'test agent started');

  let heartbeat: NodeJS.Timeout | undefined;
  if (options.heartbeatIntervalMs) {
    heartbeat = setInterval(() => {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      void runInBatches([...nodes], 16, (name) =>
        clients.nodes.patch('', name, { status: { conditions: [readyCondition(true, now, now)] } }, { type: 'strategic', subresource: 'status' }).then(() => undefined),
      ).catch((err: unknown) => log.warn({ err: describeError(err) }, 'heartbeat failed'));
    }, options.heartbeatIntervalMs);
    heartbeat.unref();
  }

  return {
    async addNode(spec) {
      await register(spec);
      // Pods may already be bound to it (they were not ours a moment ago).
      for (const pod of podInformer.list()) if (pod.spec?.nodeName === spec.name) onPod(pod);
    },
    async setNodeReady(name, ready) {
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      await clients.nodes.patch('', name, { status: { conditions: [readyCondition(ready, now, now)] } }, { type: 'strategic', subresource: 'status' });
    },
    nodeNames: () => [...nodes],
    errors,
    async stop() {
      stopped = true;
      clearInterval(heartbeat);
      for (const uid of [...timers.keys()]) cancel(uid);
      if (!options.informers) await factory.stop();
      ownApi?.close();
    },
  };
}

function requireKubeConfig(options: TestAgentOptions): KubeConfig {
  if (!options.kubeConfig) throw new Error('startTestAgent needs kubeConfig or clients');
  return options.kubeConfig;
}

async function runInBatches<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

function readyCondition(ready: boolean, heartbeat: string, transition: string) {
  return ready
    ? { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: heartbeat, lastTransitionTime: transition }
    : { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: 'container runtime is down', lastHeartbeatTime: heartbeat, lastTransitionTime: transition };
}

function nodeObject(spec: TestAgentNode, kubeletVersion: string): Node {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const resources: Record<string, string> = { cpu: spec.cpu, memory: spec.memory, pods: String(spec.pods) };
  if (spec.bandwidth !== undefined) resources[BANDWIDTH_RESOURCE] = spec.bandwidth;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      labels: {
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        [Labels.NodeNamespace]: spec.domain,
        ...spec.labels,
      },
    },
    spec: { taints: [{ key: AgentTaint.key, value: AgentTaint.value, effect: AgentTaint.effect }] },
    status: {
      capacity: resources,
      allocatable: resources,
      conditions: [readyCondition(true, now, now)],
      addresses: [
        { type: 'InternalIP', address: '127.0.0.1' },
        { type: 'Hostname', address: spec.name },
      ],
      nodeInfo: {
        machineID: spec.name,
        systemUUID: spec.name,
        bootID: spec.name,
        kernelVersion: '6.1.0',
        osImage: 'Kuscia test agent',
        containerRuntimeVersion: 'test://0',
        kubeletVersion,
        kubeProxyVersion: '',
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}

type Condition = { type: string; status: string; reason?: string; message?: string; lastProbeTime: null; lastTransitionTime: string };

function condition(type: string, status: boolean, time: string, reason?: string, message?: string): Condition {
  return { type, status: status ? 'True' : 'False', ...(reason ? { reason } : {}), ...(message ? { message } : {}), lastProbeTime: null, lastTransitionTime: time };
}

function containerNames(pod: Pod): string[] {
  return (pod.spec?.containers ?? []).map((c) => c.name);
}

function unreadyMessage(pod: Pod): string {
  return `containers with unready status: [${containerNames(pod).join(' ')}]`;
}

function runningStatus(pod: Pod, podIP: string, since: string): Record<string, unknown> {
  return {
    phase: 'Running',
    hostIP: '127.0.0.1',
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: since,
    conditions: [condition('PodScheduled', true, since), condition('Initialized', true, since), condition('ContainersReady', true, since), condition('Ready', true, since)],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: `test://${pod.metadata?.uid ?? ''}-${c.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: since } },
    })),
  };
}

function terminatedStatus(pod: Pod, b: PodBehaviour, podIP: string, since: string, finishedAt: string): Record<string, unknown> {
  const failed = b.outcome === 'fail';
  const exitCode = b.exitCode ?? (failed ? 1 : 0);
  const reason = b.reason ?? (failed ? 'Error' : 'Completed');
  return {
    phase: failed ? 'Failed' : 'Succeeded',
    hostIP: '127.0.0.1',
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: since,
    conditions: [
      condition('PodScheduled', true, since),
      condition('Initialized', true, since),
      condition('ContainersReady', false, finishedAt, 'PodCompleted'),
      condition('Ready', false, finishedAt, 'PodCompleted'),
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      containerID: `test://${pod.metadata?.uid ?? ''}-${c.name}`,
      ready: false,
      started: false,
      restartCount: 0,
      state: { terminated: { exitCode, reason, ...(b.message ? { message: b.message } : {}), startedAt: since, finishedAt, containerID: `test://${pod.metadata?.uid ?? ''}-${c.name}` } },
    })),
  };
}

function waitingStatus(pod: Pod, b: PodBehaviour, podIP: string): Record<string, unknown> {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    phase: 'Pending',
    hostIP: '127.0.0.1',
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: now,
    conditions: [
      condition('PodScheduled', true, now),
      condition('Initialized', true, now),
      condition('ContainersReady', false, now, 'ContainersNotReady', unreadyMessage(pod)),
      condition('Ready', false, now, 'ContainersNotReady', unreadyMessage(pod)),
    ],
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      started: false,
      restartCount: b.restartCount ?? 0,
      state: { waiting: { reason: b.waitingReason, ...(b.waitingMessage ? { message: b.waitingMessage } : {}) } },
    })),
  };
}
