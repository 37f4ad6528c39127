/** The named ports of a party's pods: every container's ports, defaults applied, names unique per pod. */
import type { Container, PortProtocol, PortScope } from '../../crd/index.ts';

export interface NamedPort {
  name: string;
  /** The number the AppImage declares (0 when none); self parties get an allocated one instead. */
  declaredPort: number;
  protocol: PortProtocol;
  scope: PortScope;
}

export class DuplicatePortError extends Error {
  readonly portName: string;
  constructor(portName: string) {
    super(`duplicate port ${JSON.stringify(portName)}`);
    this.name = 'DuplicatePortError';
    this.portName = portName;
  }
}

/**
 * Kuscia: mergeContainersPorts. Port names key the allocated numbers (`<pod>/<port>`), the env
 * variables and the Services, so two containers of a pod may not use the same name.
 */
export function podNamedPorts(containers: readonly Container[]): NamedPort[] {
  const seen = new Set<string>();
  const ports: NamedPort[] = [];
  for (const container of containers) {
    for (const port of container.ports ?? []) {
      if (seen.has(port.name)) throw new DuplicatePortError(port.name);
      seen.add(port.name);
      ports.push({ name: port.name, declaredPort: port.port ?? 0, protocol: port.protocol ?? 'HTTP', scope: port.scope ?? 'Local' });
    }
  }
  return ports;
}

/** Ports that get a Service: those reachable from outside the pod. */
export function isServicedPort(port: NamedPort): boolean {
  return port.scope === 'Cluster' || port.scope === 'Domain';
}
