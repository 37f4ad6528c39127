/**
 * Runs the source side of the token handshake for this gateway instance (Kuscia's gateway
 * DomainRouteController): for each outbound Token route whose `revisionInitializer` is this
 * instance, a route without a ready revision token gets a handshake, and a ready one a heartbeat
 * every 15 s. The DomainRoute controller decides who initiates and when a revision rolls; this
 * only acts on what it wrote.
 */
import type { Logger } from 'pino';
import type { DomainRoute } from '../crd/index.ts';
import { describeError } from '../kube/api-errors.ts';
import type { HandshakeClient } from './handshake/index.ts';

export interface HandshakeDriverOptions {
  client: Pick<HandshakeClient, 'initiate' | 'heartbeat' | 'forget'>;
  namespace: string;
  instance: string;
  /** The namespace's DomainRoutes as the informer has them. */
  routes: () => readonly DomainRoute[];
  /** Kuscia's heartbeat period. */
  heartbeatMs?: number;
  /** Pause after a failed handshake before the next attempt. */
  retryMs?: number;
  /** Pause after an unanswered heartbeat before the next one (default 5 s). */
  failedHeartbeatRetryMs?: number;
  /** How often the routes are looked at without a change (kick() looks at once). */
  tickMs?: number;
  now?: () => number;
  log: Logger;
}

export interface HandshakeDriver {
  /** Look at the routes now (a DomainRoute changed). */
  kick(): void;
  stop(): Promise<void>;
}

const TOKEN = 'Token';

/** A route this instance handshakes for: outbound, token-authenticated, with both keys, initializer = us. */
function isMine(route: DomainRoute, namespace: string, instance: string): boolean {
  const spec = route.spec;
  return (
    spec?.source === namespace &&
    spec.destination !== namespace &&
    (spec.authenticationType ?? TOKEN) === TOKEN &&
    !!spec.tokenConfig?.sourcePublicKey &&
    !!spec.tokenConfig.destinationPublicKey &&
    route.status?.tokenStatus?.revisionInitializer === instance &&
    !route.metadata?.deletionTimestamp
  );
}

export function startHandshakeDriver(opts: HandshakeDriverOptions): HandshakeDriver {
  const log = opts.log.child({ component: 'handshake-driver', namespace: opts.namespace, gateway: opts.instance });
  const now = opts.now ?? Date.now;
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const retryMs = opts.retryMs ?? 3_000;
  const failedHeartbeatRetryMs = opts.failedHeartbeatRetryMs ?? 5_000;
  const busy = new Map<string, Promise<void>>();
  const lastAttempt = new Map<string, number>();
  const lastBeat = new Map<string, number>();
  const known = new Set<string>();
  let stopped = false;

  const act = (name: string, work: () => Promise<void>) => {
    if (busy.has(name)) return;
    const p = work()
      .catch((err: unknown) => log.warn({ route: name, err: describeError(err) }, 'handshake step failed'))
      .finally(() => busy.delete(name));
    busy.set(name, p);
  };

  const pass = () => {
    if (stopped) return;
    const mine = opts.routes().filter((r) => isMine(r, opts.namespace, opts.instance));
    const names = new Set(mine.map((r) => r.metadata?.name ?? ''));
    for (const name of known) {
      if (!names.has(name)) {
        opts.client.forget(name);
        known.delete(name);
        lastBeat.delete(name);
        lastAttempt.delete(name);
      }
    }
    for (const route of mine) {
      const name = route.metadata?.name ?? '';
      known.add(name);
      const ready = route.status?.tokenStatus?.revisionToken?.isReady === true;
      if (!ready) {
        if (now() - (lastAttempt.get(name) ?? -Infinity) < retryMs) continue;
        lastAttempt.set(name, now());
        act(name, async () => {
          const outcome = await opts.client.initiate(route);
          if (outcome.done) log.info({ route: name, revision: outcome.revision }, 'handshake done: token ready');
          else log.warn({ route: name, reason: outcome.reason }, 'handshake not attempted');
        });
      } else if (now() - (lastBeat.get(name) ?? -Infinity) >= heartbeatMs) {
        lastBeat.set(name, now());
        act(name, async () => {
          const outcome = await opts.client.heartbeat(route);
          if (!outcome.reachable) {
            log.warn({ route: name, problem: outcome.problem }, 'peer gateway did not answer the heartbeat');
            // Ask again soon: a peer that stays silent is marked unreachable within the client's
            // unreachableAfterMs, not one more full heartbeat period later.
            lastBeat.set(name, now() - heartbeatMs + failedHeartbeatRetryMs);
          }
        });
      }
    }
  };

  const timer = setInterval(pass, opts.tickMs ?? 1_000);
  timer.unref();
  return {
    kick: () => queueMicrotask(pass),
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all(busy.values());
    },
  };
}
