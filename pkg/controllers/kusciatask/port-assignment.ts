/**
 * From named ports to numbers: allocating them for a task's own parties (recorded once in
 * status.allocatedPorts, keyed `<pod>/<port>`) and reading them back for each pod.
 */
import type { KusciaTask, PartyAllocatedPorts, PortProtocol, PortScope } from '../../crd/index.ts';
import { portKey } from './names.ts';
import type { PortAllocator } from './port-allocator.ts';
import type { PartyKit, PodKit } from './party-kit.ts';

/** A pod's port with its real number. */
export interface ResolvedPort {
  name: string;
  port: number;
  scope: PortScope;
  protocol: PortProtocol;
}

export class AllocatedPortMissingError extends Error {
  constructor(detail: string) {
    super(detail);
    this.name = 'AllocatedPortMissingError';
  }
}

/** Allocates every named port of every pod of the given (own) parties; one entry per party. */
export function allocateTaskPorts(allocator: PortAllocator, task: KusciaTask, kits: readonly PartyKit[]): PartyAllocatedPorts[] {
  const keysByNamespace = new Map<string, string[]>();
  for (const kit of kits) {
    const keys = keysByNamespace.get(kit.domainID) ?? [];
    for (const pod of kit.pods) for (const port of kit.ports) keys.push(portKey(pod.name, port.name));
    keysByNamespace.set(kit.domainID, keys);
  }
  const owner = { taskName: task.metadata.name ?? '', taskUID: task.metadata.uid ?? '' };
  const allocated = allocator.allocate(owner, [...keysByNamespace].map(([namespace, keys]) => ({ namespace, keys })));
  return kits.map((kit) => {
    const byKey = allocated.get(kit.domainID) ?? {};
    const namedPort: Record<string, number> = {};
    for (const pod of kit.pods) for (const port of kit.ports) namedPort[portKey(pod.name, port.name)] = byKey[portKey(pod.name, port.name)]!;
    return { domainID: kit.domainID, role: kit.role, namedPort };
  });
}

/**
 * The ports of one pod with their numbers: allocated ones for own parties; for a partner party,
 * whose ports another control plane allocates, the numbers the AppImage declares.
 */
export function resolvePodPorts(allocatedPorts: readonly PartyAllocatedPorts[] | undefined, kit: PartyKit, pod: PodKit): ResolvedPort[] {
  if (kit.partner) return kit.ports.map((p) => ({ name: p.name, port: p.declaredPort, scope: p.scope, protocol: p.protocol }));
  const party = (allocatedPorts ?? []).find((p) => p.domainID === kit.domainID && (p.role ?? '') === kit.role);
  if (!party) throw new AllocatedPortMissingError(`allocated ports not found for party ${kit.domainID}/${kit.role}`);
  return kit.ports.map((p) => {
    const key = portKey(pod.name, p.name);
    const port = party.namedPort?.[key];
    if (port === undefined) throw new AllocatedPortMissingError(`not found allocated port for ${key}`);
    return { name: p.name, port, scope: p.scope, protocol: p.protocol };
  });
}
