import { anyMessage, type Body, match, MessageType } from './envoy-values.ts';
import type { InboundRoute } from './gateway-state.ts';
import { Header } from './names.ts';

/**
 * Per-peer token authentication with Envoy's standard RBAC filter (anchors §3.4), replacing Kuscia's
 * custom kuscia_token_auth: one ALLOW policy per inbound source, requiring `Kuscia-Source: <source>`
 * and `Kuscia-Token` equal to one of the source's last two token revisions (both stay valid while
 * a rotation propagates). MTLS / None routes (`noop`) accept the source without a token. A source
 * with no token yet has no policy, so it is refused like an unknown one.
 *
 * These configs go in `typed_per_filter_config` of routes / virtual hosts (RDS), never in a listener.
 */

/** How many token revisions a destination accepts (Kuscia keeps the latest two). */
export const ACCEPTED_TOKEN_REVISIONS = 2;

/** RBAC with ALLOW and no policy: nothing matches, so every request is denied. */
export function denyAllRbac(): Body {
  // action ALLOW is the enum's zero value, so it is left out.
  return { rules: {} };
}

/** The per-route override admitting exactly the given sources. */
export function rbacPerRoute(sources: readonly InboundRoute[]): Body {
  const policies: Record<string, Body> = {};
  for (const route of [...sources].sort((a, b) => compare(a.source, b.source))) {
    const principal = principalOf(route);
    if (principal) policies[route.source] = { permissions: [{ any: true }], principals: [principal] };
  }
  return anyMessage(MessageType.RbacPerRoute, { rbac: { rules: Object.keys(policies).length > 0 ? { policies } : {} } });
}

/** The per-route override that turns the filter off (RBACPerRoute without `rbac`): the handshake. */
export function rbacDisabled(): Body {
  return anyMessage(MessageType.RbacPerRoute);
}

function principalOf(route: InboundRoute): Body | undefined {
  const source = { header: match.exact(Header.Source, route.source) };
  if (route.acceptedTokens === 'noop') return source;
  const tokens = route.acceptedTokens.slice(-ACCEPTED_TOKEN_REVISIONS);
  if (tokens.length === 0) return undefined;
  const token = { orIds: { ids: tokens.map((t) => ({ header: match.exact(Header.Token, t) })) } };
  return { andIds: { ids: [source, token] } };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
