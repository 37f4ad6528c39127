/**
 * Kuscia's service naming rule (pkg/utils/resources GenerateServiceName): a pod port reachable from
 * outside the pod gets a headless Service `<pod>-<port>`. Service names are DNS-1035 labels, so a
 * name starting with a digit gets the prefix `svc-`, and a name over 63 characters becomes
 * `svc-<truncated pod name>-<port>-<first 16 hex digits of sha256(full name)>`, exactly 63 long.
 * Apps and the gateway compute the same names, so the rule must not drift.
 */
import { createHash } from 'node:crypto';

const MAX_LENGTH = 63;
const HASH_LENGTH = 16;
/** `svc-` plus the two `-` separators around the port name. */
const FIXED_PARTS_LENGTH = 6;

export class ServiceNameError extends Error {
  readonly portName: string;
  constructor(portName: string) {
    super(`port name ${JSON.stringify(portName)} is too long to build a service name of at most ${MAX_LENGTH} characters`);
    this.name = 'ServiceNameError';
    this.portName = portName;
  }
}

function trimDashes(s: string): string {
  return s.replace(/^-+/, '').replace(/-+$/, '');
}

export function generateServiceName(prefix: string, portName: string): string {
  const trimmedPrefix = trimDashes(prefix);
  const trimmedPort = trimDashes(portName);
  let name = `${trimmedPrefix}-${trimmedPort}`;
  if (name[0]! >= '0' && name[0]! <= '9') name = `svc-${name}`;
  if (name.length <= MAX_LENGTH) return name;
  const maxPrefixLength = MAX_LENGTH - HASH_LENGTH - trimmedPort.length - FIXED_PARTS_LENGTH;
  // Kuscia slices with a negative bound here and panics; a port name that long is a user error.
  if (maxPrefixLength < 1) throw new ServiceNameError(portName);
  const hash = createHash('sha256').update(name).digest('hex').slice(0, HASH_LENGTH);
  return `svc-${trimmedPrefix.slice(0, maxPrefixLength)}-${trimmedPort}-${hash}`;
}
