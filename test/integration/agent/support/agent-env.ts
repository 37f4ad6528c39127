import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { startAgent, type AgentTuning } from '../../../../pkg/agent/agent.ts';
import type { AgentOptions, RunningAgent } from '../../../../pkg/agent/agent-options.ts';
import { makeKusciaClients, type KusciaClients } from '../../../../pkg/controllers/common/clients.ts';
import { startApiServer, type RunningApiServer } from '../../../../pkg/apiserver/server.ts';
import { KubeApi } from '../../../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../../../pkg/kube/client.ts';
import { removeDir } from '../../../support/apiserver-process.ts';
import type { FakeRuntime } from './fake-runtime.ts';

/** An in-process API server (memory storage) with domain namespaces, and a way to start agents on it. */
export interface AgentTestEnv {
  server: RunningApiServer;
  kubeConfig: KubeConfig;
  clients: KusciaClients;
  log: Logger;
  startAgent(options: { nodeName: string; runtime: FakeRuntime; domain?: string } & Partial<AgentOptions>, tuning?: AgentTuning): Promise<RunningAgent>;
  stop(): Promise<void>;
}

/** Fast timings so a test sees renewals and retries in well under a second. */
export const FAST_TUNING: AgentTuning = {
  leaseRenewIntervalMs: 200,
  nodeStatusCheckIntervalMs: 200,
  housekeepingIntervalMs: 500,
  machineId: 'machine-under-test',
  hostResources: { milliCpu: 2000, memoryBytes: 4 * 1024 * 1024 * 1024 },
  measurePressure: async () => ({ memoryAvailableBytes: 2 * 1024 * 1024 * 1024, diskAvailableFraction: 0.5 }),
};

export async function startAgentTestEnv(domains: string[]): Promise<AgentTestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kuscia-agent-'));
  const log = pino({ level: process.env['KUSCIA_TEST_LOG_LEVEL'] ?? 'silent' });
  const server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log.child({ component: 'apiserver' }) });
  const kubeConfig = loadKubeConfig(server.kubeconfigPath);
  const api = new KubeApi(kubeConfig);
  const clients = makeKusciaClients(api);
  for (const name of domains) await clients.namespaces.create({ metadata: { name } });
  const agents: RunningAgent[] = [];
  return {
    server,
    kubeConfig,
    clients,
    log,
    async startAgent(options, tuning = FAST_TUNING) {
      const rootDir = await mkdtemp(join(dataDir, 'agent-'));
      const agent = await startAgent(
        {
          kubeConfig,
          domain: options.domain ?? domains[0]!,
          rootDir,
          logServer: { address: '127.0.0.1', port: 0, clientCaPem: server.pki.ca.certPem },
          log,
          ...options,
        },
        tuning,
      );
      agents.push(agent);
      return agent;
    },
    async stop() {
      for (const agent of agents) await agent.stop().catch(() => undefined);
      api.close();
      await server.stop();
      await removeDir(dataDir);
    },
  };
}
