import type { Logger } from 'pino';
import type { Module } from './module.ts';
import { dependencyOrder } from './module-order.ts';

export class ModuleStartError extends Error {
  readonly module: string;
  constructor(module: string, cause: unknown) {
    super(`module ${module} failed to start: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'ModuleStartError';
    this.module = module;
  }
}

export interface RunningModules {
  /** Stops every started module, dependents first. */
  stop(): Promise<void>;
}

/**
 * Starts modules as Kuscia's module manager does: each as soon as all its dependencies are ready
 * (independent modules start concurrently), and resolves once every module is ready. If one fails,
 * the modules already started are stopped (in reverse) and the failure is thrown.
 */
export async function startModules(modules: readonly Module[], log: Logger): Promise<RunningModules> {
  const ordered = dependencyOrder(modules);
  const started: Module[] = [];
  const readiness = new Map<string, Promise<void>>();
  const stopAll = async () => {
    for (const m of [...started].reverse()) {
      try {
        log.info({ module: m.name }, 'stopping module');
        await m.stop();
      } catch (err) {
        log.error({ module: m.name, err }, 'module failed to stop');
      }
    }
  };
  for (const m of ordered) {
    readiness.set(
      m.name,
      (async () => {
        await Promise.all(m.dependsOn.map((d) => readiness.get(d)));
        const t0 = Date.now();
        started.push(m);
        try {
          await m.start();
          await m.ready();
        } catch (err) {
          throw new ModuleStartError(m.name, err);
        }
        log.info({ module: m.name, ms: Date.now() - t0 }, 'module ready');
      })(),
    );
  }
  // Wait for everything, even after a failure, so nothing is still starting while we stop.
  const results = await Promise.allSettled(readiness.values());
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await stopAll();
    throw failed.reason;
  }
  return { stop: stopAll };
}
