import { type Body, forwardingAction, match } from './envoy-values.ts';
import type { LocalService } from './gateway-state.ts';
import { Header, serviceClusterName, serviceVirtualHostName } from './names.ts';

/**
 * VH `service-<svc>-internal` in internal-route: `<svc>.<ns>.svc` (and the bare `<svc>`) → cluster
 * `service-<svc>`.
 *
 * Who may call. On the internal listener `Kuscia-Source` is absent for our own apps and is the
 * authenticated peer for requests the external listener re-injected (its RBAC policy required that
 * exact header, and the value is forwarded unchanged). So Kuscia's rule — a route matching only
 * when `Kuscia-Source` is one of the allowed domains — becomes "absent, ours, or allowed":
 * - port scope Domain: our own domain only, so any peer gets 404 (no route);
 * - `access-domain` annotation: those domains (and our own);
 * - neither: every caller that got this far.
 */
export function serviceVirtualHost(self: string, service: LocalService, idleTimeoutSeconds: number): Body {
  const allowed = service.domainScope ? [self] : service.accessDomains ? [self, ...service.accessDomains] : undefined;
  return {
    name: serviceVirtualHostName(service.name),
    domains: [`${service.name}.${self}.svc`, service.name],
    routes: [
      {
        match: { prefix: '/', ...(allowed ? { headers: [match.absentOrOneOf(Header.Source, unique(allowed))] } : {}) },
        route: forwardingAction(idleTimeoutSeconds, {
          cluster: serviceClusterName(service.name),
          // As Kuscia: the app sees its endpoint address as Host, not a `.svc` alias it never heard of.
          autoHostRewrite: { value: true },
          // Kuscia keeps a session on one replica by this header (ring-hash clusters).
          hashPolicy: [{ header: { headerName: Header.SessionId } }],
        }),
      },
    ],
  };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
