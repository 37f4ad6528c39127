import type { Logger } from 'pino';
import { KUBERNETES_VERSION } from '../apiserver/http/version.ts';
import type { KusciaConfig } from '../config/kuscia-config.ts';
import { loadKubeConfig } from '../kube/client.ts';
import { join } from 'node:path';
import { builtinDataPlane } from '../gateway/builtin-data-plane.ts';
import { envoyDataPlane } from '../gateway/envoy-data-plane.ts';
import { startGateway, type RunningGateway } from '../gateway/gateway.ts';
import { freePort } from './free-port.ts';
import type { Module } from './module.ts';

export interface GatewayModuleOptions {
  config: KusciaConfig;
  dependsOn: readonly string[];
  /** Resolved when the dependencies are ready: this node's credential for the API server. */
  kubeconfigPath: () => string;
  /** The node's state dir (`<home>/<master|domainID>`): Envoy's bootstrap and log go below it. */
  stateDir: string;
  log: Logger;
}

export interface GatewayModule extends Module {
  /** The internal listener's port, once started: task processes use it as their HTTP proxy. */
  internalPort(): number;
}

/**
 * The domain gateway in this process, with the built-in data plane (Kuscia's domainroute + envoy
 * modules). Port 0 picks a free port (a test network; peers then learn it from the Gateway object).
 */
export function gatewayModule(opts: GatewayModuleOptions): GatewayModule {
  let running: Promise<RunningGateway> | undefined;
  let internal = 0;
  return {
    name: 'gateway',
    dependsOn: opts.dependsOn,
    internalPort: () => internal,
    start: async () => {
      const gw = opts.config.gateway;
      const host = gw.listenAddress === '0.0.0.0' ? '127.0.0.1' : gw.listenAddress;
      internal = gw.internalPort || (await freePort(host));
      const external = gw.externalPort || (await freePort(host));
      running = startGateway({
        kubeConfig: loadKubeConfig(opts.kubeconfigPath()),
        domain: opts.config.domainID,
        // One Gateway object per node, named like the node (Kuscia: the host name).
        instance: opts.config.agent.nodeName,
        domainKeyPem: opts.config.domainKeyPem,
        ports: { internal, external, handshake: 0 },
        listenAddress: gw.listenAddress,
        advertiseAddress: gw.advertiseAddress ?? '127.0.0.1',
        version: KUBERNETES_VERSION.gitVersion,
        dataPlane:
          gw.dataPlane === 'envoy'
            ? envoyDataPlane({ stateDir: join(opts.stateDir, 'envoy'), nodeCluster: `kuscia-gateway-${opts.config.domainID}`, envoyPath: gw.envoyPath, adminPort: gw.envoyAdminPort })
            : builtinDataPlane,
        log: opts.log,
      });
      running.catch(() => {});
    },
    ready: async () => {
      if (!running) throw new Error('gateway was not started');
      await running;
    },
    stop: async () => {
      const gw = await running?.catch(() => undefined);
      await gw?.stop();
    },
  };
}
