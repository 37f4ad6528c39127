/**
 * The node agent (Kuscia's `agent` module, a virtual kubelet): registers this domain's Node, keeps
 * its Lease and status current, runs the pods bound to it through a PodRuntime (RunP now), reports
 * their status, confirms their deletion, and serves their logs to `kubectl logs`.
 */
import { networkInterfaces } from 'node:os';
import { agentLogRoot } from './logs/layout.ts';
import { isIP } from 'node:net';
import type { Logger } from 'pino';
import { KubeApi } from '../kube/api-client.ts';
import { describeError, isNotFound } from '../kube/api-errors.ts';
import { SharedInformerFactory } from '../kube/informer-factory.ts';
import { ResourceClient } from '../kube/resource-client.ts';
import { CoreResources } from '../kube/resources.ts';
import type { ConfigMap, Lease, Node, Pod } from '../kube/wire.ts';
import { EventRecorder, type CoreEvent } from '../scheduler/events.ts';
import type { AgentOptions, RunningAgent } from './agent-options.ts';
import type { Secret } from './inputs/object-source.ts';
import { startLogServer, type RunningLogServer } from './logs/log-server.ts';
import { detectHostResources, type HostResources } from './node/host-resources.ts';
import { bootIdentity, machineIdentity, osImage } from './node/machine-identity.ts';
import { measurePressure, type PressureSample } from './node/node-conditions.ts';
import { NodeLease } from './node/node-lease.ts';
import type { NodeIdentity } from './node/node-object.ts';
import { registerNode } from './node/node-registration.ts';
import { nodeResources } from './node/node-resources.ts';
import { NodeStatusReporter } from './node/node-status-reporter.ts';
import { logPodInfo } from './pods/log-pod-info.ts';
import { PodController } from './pods/pod-controller.ts';
import { PodStatusManager } from './pods/pod-status-manager.ts';

/**
 * Timings and host facts, for tests and for `kuscia start` to override; the defaults are the
 * kubelet's / virtual-kubelet's.
 */
export interface AgentTuning {
  /**
   * Lease duration (default 40 s, as the kubelet and virtual-kubelet; Kuscia's agent uses 180 s).
   * 40 s because the node lifecycle controller judges a node by it: a lite whose agent died should
   * have its pods failed within a minute, not three — the acceptance for a killed lite.
   */
  leaseDurationSeconds?: number;
  /** Lease renewal (default 10 s: a quarter of the duration, as the kubelet). */
  leaseRenewIntervalMs?: number;
  /** Node status recomputed this often (default 10 s) and written when it changed. */
  nodeStatusCheckIntervalMs?: number;
  /** Node status written at least this often (default 60 s). */
  nodeStatusReportIntervalMs?: number;
  /** Runtime vs API comparison and pod resync (default 10 s). */
  housekeepingIntervalMs?: number;
  machineId?: string;
  hostResources?: HostResources;
  measurePressure?: () => Promise<PressureSample>;
  now?: () => Date;
}


export async function startAgent(opts: AgentOptions, tuning: AgentTuning = {}): Promise<RunningAgent> {
  const now = tuning.now ?? (() => new Date());
  // Parts that name their own component get `scoped` (a pino child of a child would carry two).
  const scoped = opts.log.child({ domain: opts.domain, node: opts.nodeName });
  const log = scoped.child({ component: 'agent' });
  const api = new KubeApi(opts.kubeConfig);
  const nodes = new ResourceClient<Node>(api, CoreResources.nodes);
  const leases = new ResourceClient<Lease>(api, CoreResources.leases);
  const pods = new ResourceClient<Pod>(api, CoreResources.pods);
  const configMaps = new ResourceClient<ConfigMap>(api, CoreResources.configMaps);
  const secrets = new ResourceClient<Secret>(api, CoreResources.secrets);
  const events = new EventRecorder({
    client: new ResourceClient<CoreEvent>(api, CoreResources.events),
    component: 'kubelet',
    instance: opts.nodeName,
    log,
    now: () => now().getTime(),
  });

  /** Undo steps of what has started so far, newest first: a failed start leaves nothing running. */
  const undo: Array<() => Promise<void>> = [];
  const unwind = async () => {
    for (const step of undo.splice(0).reverse()) await step().catch((err: unknown) => log.warn({ err: describeError(err) }, 'agent cleanup step failed'));
  };
  try {
    const resources = nodeResources(opts.capacity, opts.reserved, tuning.hostResources ?? (await detectHostResources()));
    const address = publishedAddress(opts.logServer.address);
    const identity: NodeIdentity = {
      nodeName: opts.nodeName,
      domain: opts.domain,
      runtime: opts.runtime.name,
      machineId: tuning.machineId ?? (await machineIdentity(opts.rootDir)),
      bootId: await bootIdentity(),
      osImage: await osImage(),
      address,
    };
    const addresses = { podIP: address, hostIP: address };
    undo.push(async () => api.close());

    await opts.runtime.start();
    let runtimeStopped: Promise<void> | undefined;
    const stopRuntime = () => (runtimeStopped ??= opts.runtime.stop());
    undo.push(stopRuntime);

    const informers = new SharedInformerFactory({ api, log: scoped.child({ component: 'agent-informers' }) });
    const statuses = new PodStatusManager({ api, currentPod: (ns, name) => podController.informer.get(ns, name), addresses, now, log: scoped.child({ component: 'agent-pod-status' }) });
    const podController: PodController = new PodController({
      pods,
      configMaps,
      secrets,
      informers,
      runtime: opts.runtime,
      statuses,
      events,
      domain: opts.domain,
      nodeName: opts.nodeName,
      addresses,
      allocatable: () => resources.allocatable,
      housekeepingIntervalMs: tuning.housekeepingIntervalMs ?? 10_000,
      now,
      log: scoped,
    });

    const logServer: RunningLogServer = await startLogServer({
      address: opts.logServer.address,
      port: opts.logServer.port,
      clientCaPem: opts.logServer.clientCaPem,
      logRoot: agentLogRoot(opts.rootDir),
      resolvePod: (namespace, name) => {
        const pod = podController.informer.get(namespace, name);
        return pod ? logPodInfo(pod, opts.runtime.getPodStatus(pod.metadata?.uid ?? '')) : undefined;
      },
      log: scoped,
    });
    undo.push(() => logServer.stop());

    let node = await registerNode(nodes, identity, log);
    const reporter = new NodeStatusReporter({
      nodes,
      identity,
      resources,
      kubeletPort: logServer.port,
      measure: tuning.measurePressure ?? (() => measurePressure(opts.rootDir)),
      checkIntervalMs: tuning.nodeStatusCheckIntervalMs ?? 10_000,
      reportIntervalMs: tuning.nodeStatusReportIntervalMs ?? 60_000,
      now,
      log,
      onNodeMissing: async () => {
        node = await registerNode(nodes, identity, log);
        await reporter.report(true);
        await lease.renew();
      },
    });
    const lease = new NodeLease({
      leases,
      nodeName: opts.nodeName,
      nodeUid: () => node.metadata?.uid ?? '',
      leaseDurationSeconds: tuning.leaseDurationSeconds ?? 40,
      renewIntervalMs: tuning.leaseRenewIntervalMs ?? 10_000,
      now,
      log,
    });
    if (!opts.keepNodeOnExit) undo.push(() => deleteNode(nodes, opts.nodeName, log));
    await reporter.start();
    undo.push(() => reporter.stop());
    await lease.start();
    undo.push(() => lease.stop());

    await informers.start();
    undo.push(() => informers.stop());
    if (!(await informers.waitForCacheSync(60_000))) throw new Error('agent: the pod watch did not sync within 60 s');
    await podController.start();
    // Stopping: workers first, then the runtime's pods (their final statuses still get written).
    undo.push(async () => {
      await podController.stop();
      await stopRuntime();
      await statuses.flushAll(5_000);
      await statuses.stop();
      await events.drain();
    });
    log.info({ address, kubeletPort: logServer.port, capacity: resources.capacity, allocatable: resources.allocatable }, 'agent started');
  } catch (err) {
    await unwind();
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    nodeName: opts.nodeName,
    stop() {
      stopping ??= (async () => {
        log.info({ keepNode: opts.keepNodeOnExit === true }, 'agent stopping');
        await unwind();
        log.info('agent stopped');
      })();
      return stopping;
    },
  };
}

/**
 * The Node's InternalIP: the log server's address, unless it listens on every interface (then the
 * host's first external IPv4 address, as the kubelet picks one).
 */
function publishedAddress(listen: string): string {
  if (isIP(listen) && listen !== '0.0.0.0' && listen !== '::') return listen;
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}

async function deleteNode(nodes: ResourceClient<Node>, name: string, log: Logger): Promise<void> {
  try {
    await nodes.delete('', name);
    log.info({ node: name }, 'node deleted');
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
