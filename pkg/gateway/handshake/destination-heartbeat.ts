/**
 * The destination's answer to a heartbeat GET (Kuscia checkTokenStatus): is the source's token
 * revision one this domain accepts? A ready match also stamps that token's heartBeatTime, which the
 * ClusterDomainRoute controller reads to tell a live peer from a silent one.
 */
import type { Logger } from 'pino';
import type { DomainRoute } from '../../crd/index.ts';
import { domainRouteName } from './destination-reply.ts';
import { DestinationState } from './messages.ts';
import type { DomainRouteStore } from './route-store.ts';
import { rfc3339 } from './token-times.ts';

export interface HeartbeatCheckOptions {
  namespace: string;
  routes: DomainRouteStore;
  log: Logger;
  now: () => number;
}

/**
 * `source` is the Kuscia-Origin-Source (else Kuscia-Source) header, `tokenRevision` the raw
 * Kuscia-Token-Revision header (compared as text with the decimal revision, as Kuscia does).
 */
export async function checkTokenStatus(opts: HeartbeatCheckOptions, source: string, tokenRevision: string): Promise<DestinationState> {
  if (source === '') return DestinationState.DomainIDInputInvalid;
  const drName = domainRouteName(source, opts.namespace);
  let dr: DomainRoute | undefined;
  try {
    dr = await opts.routes.get(drName);
  } catch (err) {
    opts.log.warn({ domainRoute: drName, err: err instanceof Error ? err.message : String(err) }, 'heartbeat: cannot read the domainroute');
    return DestinationState.InternalError;
  }
  if (!dr) return DestinationState.NoAuthentication;
  if (tokenRevision === '') return DestinationState.TokenRevisionInputInvalid;

  const token = dr.status?.tokenStatus?.tokens?.find((t) => String(t.revision ?? 0) === tokenRevision);
  if (!token) return DestinationState.TokenNotFound;
  if (!token.isReady) return DestinationState.TokenNotReady;

  const heartBeatTime = rfc3339(opts.now());
  try {
    await opts.routes.updateStatus(drName, (latest) => {
      const match = latest.status?.tokenStatus?.tokens?.find((t) => String(t.revision ?? 0) === tokenRevision);
      if (!match || match.heartBeatTime === heartBeatTime) return false;
      match.heartBeatTime = heartBeatTime;
    });
  } catch (err) {
    // The answer stands; only the liveness stamp is late (Kuscia logs and answers too).
    opts.log.warn({ domainRoute: drName, err: err instanceof Error ? err.message : String(err) }, 'heartbeat: cannot stamp heartBeatTime');
  }
  return DestinationState.TokenReady;
}
