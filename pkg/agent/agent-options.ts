import type { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { PodRuntime } from './runtime/pod-runtime.ts';

/** Quantities as Kubernetes writes them ("4", "500m", "8Gi"); absent = auto-detected or default. */
export interface ResourceAmounts {
  cpu?: string;
  memory?: string;
  pods?: string;
  /** Mbps, published as the extended resource `kuscia.io/bandwidth`. */
  bandwidth?: string;
}

/** Everything `startAgent` (pkg/agent/agent.ts) needs; `kuscia start` builds it from kuscia.yaml. */
export interface AgentOptions {
  /** Credentials for the API server (a lite's are limited to what a lite needs). */
  kubeConfig: KubeConfig;
  /** The domain this agent serves: node label kuscia.secretflow/namespace, pods of this namespace only. */
  domain: string;
  /** The Node's name (Kuscia: agent.node.nodeName, default the hostname). */
  nodeName: string;
  runtime: PodRuntime;
  /** State root: the runtime's sandboxes, container logs (logs/layout.ts), agent state. */
  rootDir: string;
  /** Node capacity; unset fields are detected from the host (cgroup limits, then os totals). */
  capacity?: ResourceAmounts;
  /** Subtracted from capacity for allocatable (Kuscia's defaults: cpu 0.5, memory 500Mi, bandwidth 10). */
  reserved?: ResourceAmounts;
  /** Keep the Node object when the agent exits (Kuscia: agent.keepNodeOnExit); default delete it. */
  keepNodeOnExit?: boolean;
  /** The kubelet-style HTTPS endpoint `kubectl logs` reaches through the API server's pods/log. */
  logServer: {
    /** Address published as the Node's InternalIP and listened on. */
    address: string;
    /** 0 picks a free port; published in status.daemonEndpoints.kubeletEndpoint.Port. */
    port: number;
    /** CA whose client certificates (the API server's kubelet-client identity) may read logs. */
    clientCaPem: string;
  };
  log: Logger;
}

export interface RunningAgent {
  readonly nodeName: string;
  /** Stop syncing, kill pods per the runtime, delete (or keep) the Node, stop the log server. */
  stop(): Promise<void>;
}
