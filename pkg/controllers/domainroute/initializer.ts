import type { Gateway } from '../../crd/index.ts';
import { GATEWAY_LIVE_TIMEOUT_MS, heartbeatMs } from './gateway-liveness.ts';

/**
 * The gateway instance of the source domain that runs the handshake for the next revision
 * (`revisionInitializer`): the current one while it is alive, else one of the live instances at
 * random, so revisions spread over replicas. A gateway that has not sent its first heartbeat yet
 * counts as alive here (as in Kuscia): it has just started. Undefined when none is alive.
 */
export function selectInitializer(gateways: readonly Gateway[], current: string | undefined, now: number, random: () => number): string | undefined {
  const live: string[] = [];
  for (const gw of gateways) {
    const at = heartbeatMs(gw);
    if (at !== undefined && now - at >= GATEWAY_LIVE_TIMEOUT_MS) continue;
    const name = gw.metadata.name ?? '';
    if (name === current) return name;
    live.push(name);
  }
  if (live.length === 0) return undefined;
  return live[Math.min(live.length - 1, Math.floor(random() * live.length))];
}
