/**
 * The resources the scheduler accounts for, as plain integers: CPU in milli-cores, memory in bytes,
 * pod slots, and Kuscia's `kuscia.io/bandwidth` extended resource in units. Quantities are parsed
 * exactly (pkg/controllers/common/quantity.ts, rounding up like `MilliValue()` / `Value()`) and then
 * held as JS numbers: integers below 2^53 are exact, so sums and differences stay exact, and the
 * per-node arithmetic on every scheduling decision never touches BigInt.
 */
import { BANDWIDTH_RESOURCE } from '../crd/constants.ts';
import { parseQuantity, quantityMilliValue, quantityValue } from '../controllers/common/quantity.ts';
import type { Node, Pod } from '../kube/wire.ts';

export interface Resources {
  milliCpu: number;
  /** Bytes. */
  memory: number;
  pods: number;
  bandwidth: number;
}

/** The resource names as they appear in requests, allocatable and kube-scheduler's messages. */
export const ResourceName = {
  cpu: 'cpu',
  memory: 'memory',
  pods: 'pods',
  bandwidth: BANDWIDTH_RESOURCE,
} as const;

export function zeroResources(): Resources {
  return { milliCpu: 0, memory: 0, pods: 0, bandwidth: 0 };
}

export function addResources(into: Resources, r: Resources): void {
  into.milliCpu += r.milliCpu;
  into.memory += r.memory;
  into.pods += r.pods;
  into.bandwidth += r.bandwidth;
}

export function subtractResources(from: Resources, r: Resources): void {
  from.milliCpu -= r.milliCpu;
  from.memory -= r.memory;
  from.pods -= r.pods;
  from.bandwidth -= r.bandwidth;
}

type QuantityText = string | number | undefined;
type ResourceList = Record<string, QuantityText> | undefined;

/**
 * Parses quantities into scheduler integers, remembering what it parsed: a cluster uses a handful
 * of distinct quantity strings ("500m", "1Gi") for thousands of pods, and the exact BigInt parse
 * is the expensive part. One reader per scheduler (no module-level cache).
 */
export class QuantityReader {
  private readonly milli = new Map<string, number>();
  private readonly whole = new Map<string, number>();
  /** Bounds the memo if a client writes endless distinct quantities. */
  private readonly maxEntries: number;

  constructor(maxEntries = 10_000) {
    this.maxEntries = maxEntries;
  }

  /** `MilliValue()` of the quantity; undefined when it does not parse. */
  milliValue(q: QuantityText): number | undefined {
    return this.read(this.milli, q, (text) => quantityMilliValue(parseQuantity(text)));
  }

  /** `Value()` of the quantity (rounded up); undefined when it does not parse. */
  value(q: QuantityText): number | undefined {
    return this.read(this.whole, q, (text) => quantityValue(parseQuantity(text)));
  }

  private read(memo: Map<string, number>, q: QuantityText, parse: (text: string) => bigint): number | undefined {
    if (q === undefined) return 0;
    const text = String(q);
    const known = memo.get(text);
    if (known !== undefined) return known;
    let parsed: number;
    try {
      parsed = clampToSafe(parse(text));
    } catch {
      return undefined;
    }
    if (memo.size >= this.maxEntries) memo.clear();
    memo.set(text, parsed);
    return parsed;
  }
}

function clampToSafe(v: bigint): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) return Number.MAX_SAFE_INTEGER;
  if (v < BigInt(Number.MIN_SAFE_INTEGER)) return Number.MIN_SAFE_INTEGER;
  return Number(v);
}

/** One container's (or init container's) requests; a request that does not parse can never fit. */
function listRequests(reader: QuantityReader, list: ResourceList): Resources {
  const r = zeroResources();
  if (!list) return r;
  r.milliCpu = reader.milliValue(list[ResourceName.cpu]) ?? Number.POSITIVE_INFINITY;
  r.memory = reader.value(list[ResourceName.memory]) ?? Number.POSITIVE_INFINITY;
  r.bandwidth = reader.value(list[ResourceName.bandwidth]) ?? Number.POSITIVE_INFINITY;
  return r;
}

/**
 * What a pod asks of a node, as kube-scheduler computes it: the sum of its containers' requests,
 * raised to the largest init container's request where that is bigger (init containers run one at
 * a time before the others), plus one pod slot. Unset requests count as zero.
 */
export function podRequests(pod: Pod, reader: QuantityReader): Resources {
  const sum = zeroResources();
  for (const c of pod.spec?.containers ?? []) addResources(sum, listRequests(reader, c.resources?.requests));
  for (const c of pod.spec?.initContainers ?? []) {
    const init = listRequests(reader, c.resources?.requests);
    sum.milliCpu = Math.max(sum.milliCpu, init.milliCpu);
    sum.memory = Math.max(sum.memory, init.memory);
    sum.bandwidth = Math.max(sum.bandwidth, init.bandwidth);
  }
  sum.pods = 1;
  return sum;
}

/** A node's allocatable resources (capacity when allocatable is absent); unparseable means none. */
export function nodeAllocatable(node: Node, reader: QuantityReader): Resources {
  const list: ResourceList = node.status?.allocatable ?? node.status?.capacity;
  if (!list) return zeroResources();
  return {
    milliCpu: reader.milliValue(list[ResourceName.cpu]) ?? 0,
    memory: reader.value(list[ResourceName.memory]) ?? 0,
    pods: reader.value(list[ResourceName.pods]) ?? 0,
    bandwidth: reader.value(list[ResourceName.bandwidth]) ?? 0,
  };
}
