import type { Gateway } from '../../crd/index.ts';

/**
 * A Gateway object is its instance's heartbeat (written every 15 s); one silent for longer than this
 * is dead (Kuscia: common.GatewayLiveTimeout, 3 min).
 */
export const GATEWAY_LIVE_TIMEOUT_MS = 3 * 60_000;

/** The gateway's last heartbeat in ms since the epoch; undefined when it never sent one. */
export function heartbeatMs(gateway: Gateway): number | undefined {
  const at = gateway.status?.heartbeatTime;
  if (!at) return undefined;
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Heartbeat within the live timeout. A gateway that never sent one is not live. */
export function isGatewayLive(gateway: Gateway, now: number): boolean {
  const at = heartbeatMs(gateway);
  return at !== undefined && now - at < GATEWAY_LIVE_TIMEOUT_MS;
}
