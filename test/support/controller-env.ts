import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { makeKusciaClients, type KusciaClients } from '../../pkg/controllers/common/clients.ts';
import type { ControllerContext, KusciaController } from '../../pkg/controllers/common/controller-context.ts';
import { loadCrdManifests } from '../../pkg/crd/index.ts';
import { startApiServer, type RunningApiServer } from '../../pkg/apiserver/server.ts';
import { KubeApi } from '../../pkg/kube/api-client.ts';
import { loadKubeConfig } from '../../pkg/kube/client.ts';
import { SharedInformerFactory } from '../../pkg/kube/informer-factory.ts';
import { removeDir } from './apiserver-process.ts';
import { installCrd } from './kube-fixtures.ts';

/** An embedded API server (memory storage) with every Kuscia CRD installed and the `cross-domain` namespace. */
export interface ControllerTestEnv {
  server: RunningApiServer;
  kubeConfig: KubeConfig;
  clients: KusciaClients;
  log: Logger;
  /** A fresh controller context with its own informer factory (start it with startControllers). */
  context(now?: () => number): ControllerContext;
  /** Starts the given controllers the way the manager does: informers, cache sync, run. */
  startControllers(ctx: ControllerContext, controllers: KusciaController[]): Promise<() => Promise<void>>;
  /** Creates namespaces (ignoring ones that exist). */
  createNamespaces(...names: string[]): Promise<void>;
  stop(): Promise<void>;
}

export async function startControllerTestEnv(options: { logLevel?: string } = {}): Promise<ControllerTestEnv> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kuscia-ctrl-'));
  const log = pino({ level: options.logLevel ?? process.env['KUSCIA_TEST_LOG_LEVEL'] ?? 'silent' });
  const server = await startApiServer({ dataDir, storage: 'memory', port: 0, logger: log.child({ component: 'apiserver' }) });
  const kubeConfig = loadKubeConfig(server.kubeconfigPath);
  await installAllKusciaCrds(kubeConfig);
  const api = new KubeApi(kubeConfig);
  const clients = makeKusciaClients(api);
  const factories: SharedInformerFactory[] = [];
  const stoppers: Array<() => Promise<void>> = [];

  const env: ControllerTestEnv = {
    server,
    kubeConfig,
    clients,
    log,
    context(now = Date.now) {
      const informers = new SharedInformerFactory({ kubeConfig, log });
      factories.push(informers);
      return { clients, informers, log, now };
    },
    async startControllers(ctx, controllers) {
      await ctx.informers.start();
      if (!(await ctx.informers.waitForCacheSync(30_000))) throw new Error('informer caches did not sync');
      for (const c of controllers) c.run();
      const stop = async () => {
        await Promise.all(controllers.map((c) => c.stop()));
        await ctx.informers.stop();
      };
      stoppers.push(stop);
      return stop;
    },
    async createNamespaces(...names) {
      for (const name of names) {
        try {
          await clients.namespaces.create({ metadata: { name } });
        } catch (err) {
          if ((err as { code?: number }).code !== 409) throw err;
        }
      }
    },
    async stop() {
      for (const stop of stoppers.splice(0)) await stop().catch(() => undefined);
      for (const f of factories) await f.stop().catch(() => undefined);
      api.close();
      await server.stop();
      await removeDir(dataDir);
    },
  };
  await env.createNamespaces('cross-domain');
  return env;
}

/** Creates all 18 Kuscia CRDs (as JSON, keeping schema defaults) and waits until each is Established. */
export async function installAllKusciaCrds(kc: KubeConfig): Promise<void> {
  const crds = await loadCrdManifests();
  await Promise.all(crds.map((crd) => installCrd(kc, crd, 20_000)));
}
