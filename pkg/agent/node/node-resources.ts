import { formatQuantity, parseQuantity, type Quantity } from '../../controllers/common/quantity.ts';
import { BANDWIDTH_RESOURCE } from '../../crd/constants.ts';
import type { ResourceAmounts } from '../agent-options.ts';
import type { HostResources } from './host-resources.ts';

/** Kuscia's `reservedResources` defaults (kuscia.yaml): kept back for Kuscia itself. */
export const DEFAULT_RESERVED: Required<Omit<ResourceAmounts, 'pods'>> = { cpu: '500m', memory: '500Mi', bandwidth: '10' };
/** Kuscia's default pod capacity per agent node. */
export const DEFAULT_MAX_PODS = '500';

export interface NodeResources {
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
}

export class InvalidResourceError extends Error {
  constructor(field: string, value: string, reason: string) {
    super(`${field}: invalid quantity "${value}": ${reason}`);
    this.name = 'InvalidResourceError';
  }
}

/**
 * Capacity from configuration where given, else from the host; allocatable = capacity − reserved,
 * never below zero (as the kubelet computes it). Bandwidth (`kuscia.io/bandwidth`, Mbps) appears only
 * when configured: there is no way to detect it.
 */
export function nodeResources(configured: ResourceAmounts | undefined, reserved: ResourceAmounts | undefined, host: HostResources): NodeResources {
  const capacity: Record<string, string> = {
    cpu: canonical('capacity.cpu', configured?.cpu ?? `${host.milliCpu}m`),
    // The kubelet reports memory in Ki.
    memory: canonical('capacity.memory', configured?.memory ?? `${Math.floor(host.memoryBytes / 1024)}Ki`),
    pods: canonical('capacity.pods', configured?.pods ?? DEFAULT_MAX_PODS),
  };
  if (configured?.bandwidth !== undefined) capacity[BANDWIDTH_RESOURCE] = canonical('capacity.bandwidth', configured.bandwidth);
  const keep: Record<string, string | undefined> = {
    cpu: reserved?.cpu ?? DEFAULT_RESERVED.cpu,
    memory: reserved?.memory ?? DEFAULT_RESERVED.memory,
    pods: reserved?.pods,
    [BANDWIDTH_RESOURCE]: reserved?.bandwidth ?? DEFAULT_RESERVED.bandwidth,
  };
  const allocatable: Record<string, string> = {};
  for (const [name, value] of Object.entries(capacity)) {
    const held = keep[name];
    allocatable[name] = held === undefined ? value : subtract(parse(`capacity.${name}`, value), parse(`reservedResources.${name}`, held));
  }
  return { capacity, allocatable };
}

function parse(field: string, value: string): Quantity {
  try {
    return parseQuantity(value);
  } catch (err) {
    throw new InvalidResourceError(field, value, err instanceof Error ? err.message : String(err));
  }
}

function canonical(field: string, value: string): string {
  return formatQuantity(parse(field, value));
}

function subtract(a: Quantity, b: Quantity): string {
  const nanos = a.nanos - b.nanos;
  return formatQuantity({ nanos: nanos > 0n ? nanos : 0n, format: a.format });
}
