/**
 * Which domains may call each port of a party's pods (Kuscia: generatePortAccessDomains), written
 * to the Service annotation `access-domain` for the gateway. Without a network policy every domain
 * of the task may call the Cluster-scoped ports; with one, the roles named by its ingress rules.
 */
import type { NetworkPolicy, PartyInfo } from '../../crd/index.ts';
import type { NamedPort } from './party-ports.ts';

/** Port name → comma-separated domain IDs (in the order the parties list them). */
export function portAccessDomains(
  parties: readonly PartyInfo[],
  networkPolicy: NetworkPolicy | undefined,
  ports: readonly NamedPort[],
): Record<string, string> {
  const result: Record<string, string> = {};
  if (!networkPolicy) {
    const domains = unique(parties.map((p) => p.domainID)).join(',');
    for (const port of ports) if (port.scope === 'Cluster') result[port.name] = domains;
    return result;
  }
  const domainsByRole = new Map<string, string[]>();
  for (const party of parties) {
    const role = party.role ?? '';
    domainsByRole.set(role, [...(domainsByRole.get(role) ?? []), party.domainID]);
  }
  const rolesByPort = new Map<string, string[]>();
  for (const ingress of networkPolicy.ingresses ?? []) {
    for (const { port } of ingress.ports ?? []) {
      rolesByPort.set(port, [...(rolesByPort.get(port) ?? []), ...(ingress.from?.roles ?? [])]);
    }
  }
  for (const [port, roles] of rolesByPort) {
    result[port] = unique(roles.flatMap((role) => domainsByRole.get(role) ?? [])).join(',');
  }
  return result;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
