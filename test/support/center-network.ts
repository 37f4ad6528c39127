import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from './free-port.ts';
import { tokenRoute } from './gateway-fixtures.ts';
import { kubectl, type KubectlResult } from './kubectl.ts';
import { repoRoot, spawnKuscia, writeInitConfig, type SpawnedKuscia } from './kuscia-process.ts';

/**
 * A center-mode network as the quickstart starts it, for end-to-end tests and benchmarks: one
 * `kuscia start` process for the master and one per lite domain, configured with `kuscia init`,
 * the lites registered with their Domains' one-time deploy tokens, checked with the real kubectl.
 * Each node can be killed and started again on the same state (the API server keeps its port).
 */
export interface CenterNetworkOptions {
  /** A private working directory: KUSCIA_HOME, the kuscia.yaml files, kubectl's cache. */
  work: string;
  lites: string[];
  /** agent.leaseDurationSeconds of each lite (default 40). */
  leaseDurationSeconds?: number;
  /** controllers.nodeMonitorGracePeriodSeconds of the master (default 40). */
  nodeMonitorGracePeriodSeconds?: number;
  /** Domain resource quota (pods per domain); default 100 as the examples. */
  podMaxCount?: number;
  /** More kuscia.yaml settings for every lite (e.g. `{ capacity: { pods: 1000 } }`), added last. */
  liteConfig?: Record<string, unknown>;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export interface CenterNetwork {
  home: string;
  /** The master's admin kubeconfig ($KUSCIA_HOME/master/kubeconfig.yaml). */
  kubeconfig: string;
  /** Runs the real kubectl as the admin. */
  kubectl(args: string[], stdin?: string): Promise<KubectlResult>;
  /** Like kubectl, but throws with kubectl's stderr on a non-zero exit. */
  ok(args: string[], stdin?: string): Promise<string>;
  master(): SpawnedKuscia;
  /** The external port of a node's gateway, by domain (the master's is `kuscia-system`): what a ClusterDomainRoute to it points at. */
  gatewayPort(domain: string): number;
  /** The internal (apps → gateway) port of a lite's gateway: what its task processes use as proxy. */
  gatewayInternalPort(domain: string): number;
  /** A token-authenticated ClusterDomainRoute source→destination, waited for until Ready. */
  connect(source: string, destination: string): Promise<void>;
  lite(domain: string): SpawnedKuscia;
  /** Starts `kuscia start` for the master again (after stopMaster) on the same state. */
  startMaster(): Promise<void>;
  startLite(domain: string): Promise<void>;
  /** Signals the node's `kuscia start` and waits for it to exit. */
  stopMaster(signal?: NodeJS.Signals): Promise<number | null>;
  stopLite(domain: string, signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the lites, then the master (SIGTERM). */
  stop(): Promise<void>;
}

const READY = /kuscia start: \S+ \S+ ready/;

export async function startCenterNetwork(opts: CenterNetworkOptions): Promise<CenterNetwork> {
  const home = join(opts.work, 'home');
  const cache = join(opts.work, 'kube-cache');
  await mkdir(home, { recursive: true });
  const kubeconfig = join(home, 'master', 'kubeconfig.yaml');
  const logLevel = opts.logLevel ?? 'WARN';
  // Fixed ports: a restarted master must keep its address, which the lites' kubeconfigs hold.
  const [apiPort, registrationPort, masterGatewayPort] = [await freePort(), await freePort(), await freePort()];
  const masterConfig = await writeInitConfig(opts.work, 'master.yaml', ['--mode', 'master', '-d', 'kuscia-system', '-l', logLevel], {
    home,
    apiserver: { port: apiPort },
    registration: { port: registrationPort },
    controllers: { nodeMonitorGracePeriodSeconds: opts.nodeMonitorGracePeriodSeconds ?? 40 },
    gateway: { externalPort: masterGatewayPort },
  });

  let master: SpawnedKuscia | undefined;
  const gatewayPorts = new Map<string, number>([['kuscia-system', masterGatewayPort]]);
  const internalPorts = new Map<string, number>();
  const lites = new Map<string, SpawnedKuscia>();
  const run = (args: string[], stdin?: string) => kubectl(kubeconfig, cache, args, stdin);
  const ok = async (args: string[], stdin?: string) => {
    const r = await run(args, stdin);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}\n${r.stdout}`);
    return r.stdout;
  };
  const startMaster = async () => {
    master = await spawnKuscia(['start', '-c', masterConfig], READY);
  };
  const startLite = async (domain: string) => {
    lites.set(domain, await spawnKuscia(['start', '-c', join(opts.work, `${domain}.yaml`)], READY));
  };
  const network: CenterNetwork = {
    home,
    kubeconfig,
    kubectl: run,
    ok,
    master: () => master!,
    gatewayPort: (domain) => gatewayPorts.get(domain)!,
    gatewayInternalPort: (domain) => internalPorts.get(domain)!,
    async connect(source, destination) {
      const cdr = tokenRoute(source, destination, gatewayPorts.get(destination)!);
      await ok(['apply', '-f', '-'], JSON.stringify(cdr));
      await ok(['wait', '--for=condition=Ready', '--timeout=60s', `cdr/${source}-${destination}`]);
    },
    lite: (domain) => lites.get(domain)!,
    startMaster,
    startLite,
    stopMaster: (signal) => master!.stop(signal),
    stopLite: (domain, signal) => lites.get(domain)!.stop(signal),
    async stop() {
      await Promise.all([...lites.values()].map((l) => l.stop('SIGTERM')));
      await master?.stop('SIGTERM');
    },
  };

  try {
    await startMaster();
    const domains = opts.lites.map((d) => ({ apiVersion: 'kuscia.secretflow/v1alpha1', kind: 'Domain', metadata: { name: d }, spec: { resourceQuota: { podMaxCount: opts.podMaxCount ?? 100 } } }));
    await ok(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: domains }));
    await ok(['apply', '-f', join(repoRoot, 'deploy/examples/appimage-fake-engine.yaml')]);
    await Promise.all(
      opts.lites.map(async (domain) => {
        const token = await unusedDeployToken(ok, domain);
        gatewayPorts.set(domain, await freePort());
        internalPorts.set(domain, await freePort());
        await writeInitConfig(opts.work, `${domain}.yaml`, ['--mode', 'lite', '-d', domain, '-t', token, '-m', `https://127.0.0.1:${registrationPort}`, '-l', logLevel], {
          home,
          agent: { leaseDurationSeconds: opts.leaseDurationSeconds ?? 40 },
          // Each lite's gateway on its own external port (one host).
          gateway: { externalPort: gatewayPorts.get(domain), internalPort: internalPorts.get(domain) },
          ...opts.liteConfig,
        });
        await startLite(domain);
      }),
    );
    await ok(['wait', '--for=condition=Ready', '--timeout=60s', ...opts.lites.map((d) => `node/kuscia-lite-${d}`)]);
  } catch (err) {
    await network.stop().catch(() => {});
    throw err;
  }
  return network;
}

/** Waits for the Domain controller to give `domain` an unused one-time deploy token. */
export async function unusedDeployToken(ok: (args: string[]) => Promise<string>, domain: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const out = (await ok(['get', 'domain', domain, '-o', 'jsonpath={.status.deployTokenStatuses[?(@.state=="unused")].token}'])).trim();
    if (out !== '') return out;
    if (Date.now() > deadline) throw new Error(`the Domain ${domain} got no unused deploy token`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
