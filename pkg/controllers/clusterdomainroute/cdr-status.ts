import { isDeepStrictEqual } from 'node:util';
import type { ClusterDomainRoute, ClusterDomainRouteStatus, DomainRoute, DomainRouteToken, Gateway } from '../../crd/index.ts';
import { rfc3339 } from '../common/controller-context.ts';
import { routeNeedsToken } from '../domainroute/validate.ts';
import { desiredEndpointStatuses } from './endpoint-statuses.ts';
import { withReadyCondition } from './ready-condition.ts';
import { readyVerdict } from './ready-verdict.ts';

export interface StatusInputs {
  /** The DomainRoute in the source namespace (none when the source is a partner). */
  sourceRoute?: DomainRoute;
  destinationRoute?: DomainRoute;
  /** The gateways of the source namespace. */
  sourceGateways: readonly Gateway[];
  now: number;
}

function tokensOf(route: DomainRoute | undefined, fallback: DomainRouteToken[] | undefined): DomainRouteToken[] {
  return route ? (route.status?.tokenStatus?.tokens ?? []) : (fallback ?? []);
}

/**
 * The ClusterDomainRoute's status from its DomainRoutes and the source gateways: each side's tokens
 * (a partner side, which has no DomainRoute here, keeps what it had), the Ready condition and the
 * endpoint health. Undefined when the stored status already says all that.
 */
export function desiredCdrStatus(cdr: ClusterDomainRoute, input: StatusInputs): ClusterDomainRouteStatus | undefined {
  const status = cdr.status ?? {};
  const current = status.tokenStatus ?? {};
  const sourceTokens = tokensOf(input.sourceRoute, current.sourceTokens);
  const destinationTokens = tokensOf(input.destinationRoute, current.destinationTokens);
  const { sourceTokens: _s, destinationTokens: _d, ...rest } = current;
  const tokenStatus = { ...rest, ...(sourceTokens.length > 0 ? { sourceTokens } : {}), ...(destinationTokens.length > 0 ? { destinationTokens } : {}) };

  const verdict = readyVerdict({ needsToken: routeNeedsToken(cdr.spec), sourceRoute: input.sourceRoute, destinationRoute: input.destinationRoute, sourceTokens, destinationTokens, now: input.now });
  const conditions = withReadyCondition(status.conditions, verdict, rfc3339(input.now)) ?? status.conditions;
  const endpointStatuses = cdr.spec ? desiredEndpointStatuses(cdr.spec, input.sourceGateways, input.now, status.endpointStatuses) : status.endpointStatuses;

  const next: ClusterDomainRouteStatus = { ...status, tokenStatus };
  if (conditions) next.conditions = conditions;
  if (endpointStatuses) next.endpointStatuses = endpointStatuses;
  else delete next.endpointStatuses;
  return isDeepStrictEqual(next, status) ? undefined : next;
}

/** The status with Ready set to a blocking problem (the rest kept), or undefined when it says so already. */
export function blockedCdrStatus(cdr: ClusterDomainRoute, reason: string, message: string, now: number): ClusterDomainRouteStatus | undefined {
  const conditions = withReadyCondition(cdr.status?.conditions, { status: 'False', reason, message }, rfc3339(now));
  return conditions ? { ...cdr.status, conditions } : undefined;
}
