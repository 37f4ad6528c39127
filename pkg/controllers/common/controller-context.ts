import type { Logger } from 'pino';
import type { SharedInformerFactory } from '../../kube/informer-factory.ts';
import type { KusciaClients } from './clients.ts';

/**
 * What the controller manager hands every controller: clients, the shared informer factory (one
 * watch per resource for all controllers), a logger and a clock. Passed explicitly: no globals.
 */
export interface ControllerContext {
  clients: KusciaClients;
  informers: SharedInformerFactory;
  log: Logger;
  /** Milliseconds since the epoch; tests may substitute it. */
  now: () => number;
}

/**
 * A controller as the manager runs it. The constructor (or factory) requests informers and registers
 * handlers; the manager then starts the informers, waits for their caches and calls run().
 */
export interface KusciaController {
  readonly name: string;
  run(): void;
  /** Stops workers and timers; reconciles in flight finish first. */
  stop(): Promise<void>;
}

export type ControllerFactory = (ctx: ControllerContext) => KusciaController;

/** RFC 3339 with seconds precision, as metav1.Time serializes. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
