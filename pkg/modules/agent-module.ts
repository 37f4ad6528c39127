import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { RunningAgent } from '../agent/agent-options.ts';
import { startAgent } from '../agent/agent.ts';
import { loadBuiltinImages } from '../agent/images/builtin-images.ts';
import { newRunPRuntime } from '../agent/runtime/runp/index.ts';
import type { KusciaConfig } from '../config/kuscia-config.ts';
import { loadKubeConfig } from '../kube/client.ts';
import type { Module } from './module.ts';

export interface AgentModuleOptions {
  config: KusciaConfig;
  /** Named dependencies: the agent needs its credentials (and, in autonomy, its domain namespace). */
  dependsOn: readonly string[];
  /** Resolved when the dependencies are ready: the kubeconfig and the CA of the log readers. */
  credentials: () => { kubeconfigPath: string; clientCaPem: string };
  rootDir: string;
  /** Resolved at start: variables every task process gets from the node (the gateway proxy). */
  nodeEnv?: () => Record<string, string>;
  log: Logger;
}

/** The node agent in this process, with the RunP runtime (the only runtime so far). */
export function agentModule(opts: AgentModuleOptions): Module {
  let running: Promise<RunningAgent> | undefined;
  return {
    name: 'agent',
    dependsOn: opts.dependsOn,
    start: async () => {
      running = (async () => {
        const { kubeconfigPath, clientCaPem } = opts.credentials();
        const log = opts.log;
        const images = await loadBuiltinImages(opts.rootDir);
        const runtime = newRunPRuntime({ rootDir: opts.rootDir, log, images, nodeEnv: opts.nodeEnv?.() ?? {} });
        const agent = opts.config.agent;
        return startAgent({
          kubeConfig: loadKubeConfig(kubeconfigPath),
          domain: opts.config.domainID,
          nodeName: agent.nodeName || hostname(),
          runtime,
          rootDir: opts.rootDir,
          capacity: opts.config.capacity,
          reserved: opts.config.reservedResources,
          keepNodeOnExit: agent.keepNodeOnExit,
          logServer: { address: agent.logServer.address, port: agent.logServer.port, clientCaPem },
          log,
        }, {
          leaseDurationSeconds: agent.leaseDurationSeconds,
          // The kubelet renews at a quarter of the duration.
          leaseRenewIntervalMs: agent.leaseDurationSeconds * 250,
        });
      })();
      running.catch(() => {});
    },
    ready: async () => {
      if (!running) throw new Error('agent was not started');
      await running;
    },
    stop: async () => {
      const agent = await running?.catch(() => undefined);
      await agent?.stop();
    },
  };
}
