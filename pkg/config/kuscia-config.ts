import type { ResourceAmounts } from '../agent/agent-options.ts';
import type { RuntimeName } from '../agent/runtime/pod-runtime.ts';

export type KusciaMode = 'master' | 'lite' | 'autonomy';
export type KusciaProtocol = 'NOTLS' | 'TLS' | 'MTLS';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * kuscia.yaml after validation and defaulting. Field names are Kuscia's (reference §5.1) where the
 * concept exists there; `home`, `apiserver` and `registration` are ours (Kuscia hard-codes its
 * directories under /home/kuscia and runs K3s on 6443, and its lites register through the gateway).
 */
export interface KusciaConfig {
  mode: KusciaMode;
  domainID: string;
  /** The domain's RSA private key, PEM (kuscia.yaml carries it base64-encoded). */
  domainKeyPem: string;
  logLevel: LogLevel;
  protocol: KusciaProtocol;
  runtime: RuntimeName;
  capacity: ResourceAmounts;
  reservedResources: ResourceAmounts;
  /** Lite: the master's registration URL (may carry a path prefix). */
  masterEndpoint?: string;
  /** Lite: the one-time token from the master's Domain.status.deployTokenStatuses. */
  liteDeployToken?: string;
  /** '' = the embedded API server's SQLite database. */
  datastoreEndpoint: string;
  agent: AgentConfig;
  /** State root (KUSCIA_HOME); each node keeps its files in `<home>/<master|domainID>/`. */
  home: string;
  apiserver: ApiServerConfig;
  registration: RegistrationConfig;
  controllers: ControllersConfig;
  gateway: GatewayConfig;
}

export interface AgentConfig {
  nodeName: string;
  keepNodeOnExit: boolean;
  /**
   * The node Lease's duration (default 40 s, the kubelet's); renewed every quarter of it. With
   * `controllers.nodeMonitorGracePeriodSeconds` it bounds how soon a dead agent's pods fail.
   */
  leaseDurationSeconds: number;
  /** Where the agent's log server (kubectl logs) listens; port 0 picks a free one. */
  logServer: { address: string; port: number };
}

export interface ApiServerConfig {
  /** HTTPS port of the embedded API server (master, autonomy). */
  port: number;
  bind: string;
  /** Use this cluster instead of the embedded API server (master, autonomy). */
  kubeconfigFile?: string;
}

export interface RegistrationConfig {
  /** HTTPS port of the master's lite registration endpoint (master); 0 picks a free one. */
  port: number;
  bind: string;
}

export interface ControllersConfig {
  /** A node whose Lease was not renewed this long goes NotReady and its pods fail (default 40 s). */
  nodeMonitorGracePeriodSeconds: number;
}

/**
 * The domain gateway of a lite or autonomy node (ours: Kuscia runs Envoy on fixed ports 80/1080
 * in its container; nodes sharing one host need their own ports).
 */
export interface GatewayConfig {
  enabled: boolean;
  /** Peers → gateway (Kuscia: 1080); what other domains' ClusterDomainRoutes point at; 0 picks a free port. */
  externalPort: number;
  /** Apps → gateway (Kuscia: 80); 0 picks a free port at start (task processes are told it). */
  internalPort: number;
  /** Where both listeners bind. */
  listenAddress: string;
  /** The address in the Gateway object (default 127.0.0.1: a network on one host). */
  advertiseAddress?: string;
  /** Who serves the traffic: the built-in proxy, or an Envoy process fed by the same xDS (docs/gateway.md). */
  dataPlane: 'builtin' | 'envoy';
  /** The envoy binary (a path, or a name on PATH; default `envoy`). */
  envoyPath?: string;
  /** Envoy's admin port on 127.0.0.1 (Kuscia: 10000); 0 picks a free one. */
  envoyAdminPort: number;
}
