/**
 * Dividing a party's resources over the containers of its pods (Go: utilsres.SplitRSC and
 * RunningHandler.setResource in Kuscia).
 *
 * A KusciaJob party may say `resources: {limits: {cpu: "2", memory: "4Gi"}}` for the whole party;
 * Kuscia divides each of cpu, memory and kuscia.io/bandwidth evenly over containers × replicas of
 * the AppImage deploy template and puts the share on every container. The rounding below is
 * Kuscia's, kept so the same manifest yields the same pod resources:
 * - decimal quantities ("2", "500m", "1G") are divided in milli-units, truncating;
 * - binary and exponent quantities ("4Gi", "1e9") are divided in whole bytes, truncating, then
 *   written one unit below the largest that fits and rounded to a whole number of that unit
 *   (half to even, like Go's "%.0f"), e.g. 75Gi → "76800Mi"; below 1Mi the byte count is kept.
 */
import { BANDWIDTH_RESOURCE } from '../../crd/constants.ts';
import type { ResourceRequirements } from '../../crd/common.ts';
import { canonicalQuantity, formatQuantity, parseQuantity, quantityFromMilli, quantityFromValue, quantityMilliValue, quantityValue } from '../common/quantity.ts';

/** The only resources Kuscia splits; anything else a party lists is dropped, as in Kuscia. */
export const SPLIT_RESOURCE_NAMES = ['cpu', 'memory', BANDWIDTH_RESOURCE] as const;

/** Splitting over zero (or a negative number of) instances: Kuscia panics on the division. */
export class ResourceSplitError extends Error {
  readonly instances: number;
  constructor(instances: number, resource: string) {
    super(`cannot split resource ${resource} over ${instances} container instances`);
    this.name = 'ResourceSplitError';
    this.instances = instances;
  }
}

/** Rounds numerator / 2^shift to the nearest integer, ties to even. */
function roundHalfEvenShift(numerator: bigint, shift: bigint): bigint {
  const quotient = numerator >> shift;
  const remainder = numerator - (quotient << shift);
  const half = 1n << (shift - 1n);
  if (remainder > half || (remainder === half && (quotient & 1n) === 1n)) return quotient + 1n;
  return quotient;
}

/** Thresholds of Kuscia's re-formatting: at least 2^threshold bytes → written in 2^unitShift units. */
const BINARY_REFORMAT = [
  { threshold: 60n, unitShift: 50n, suffix: 'Pi' },
  { threshold: 50n, unitShift: 40n, suffix: 'Ti' },
  { threshold: 40n, unitShift: 30n, suffix: 'Gi' },
  { threshold: 30n, unitShift: 20n, suffix: 'Mi' },
  { threshold: 20n, unitShift: 10n, suffix: 'Ki' },
] as const;

/**
 * Kuscia's `SplitRSC(rsc, n)`: the text of one n-th of `rsc` (not yet canonical: "76800Mi").
 * Throws QuantityParseError for malformed input and ResourceSplitError for n < 1.
 */
export function splitQuantityText(rsc: string, n: number, resourceName = 'quantity'): string {
  if (!Number.isInteger(n) || n < 1) throw new ResourceSplitError(n, resourceName);
  const quantity = parseQuantity(rsc);
  const parts = BigInt(n);
  if (quantity.format === 'DecimalSI') {
    return formatQuantity(quantityFromMilli(quantityMilliValue(quantity) / parts, 'DecimalSI'));
  }
  const bytesPerPart = quantityValue(quantity) / parts;
  for (const { threshold, unitShift, suffix } of BINARY_REFORMAT) {
    if (bytesPerPart >= 1n << threshold) return `${roundHalfEvenShift(bytesPerPart, unitShift)}${suffix}`;
  }
  return formatQuantity(quantityFromValue(bytesPerPart, quantity.format));
}

/** Containers × replicas of a deploy template (replicas default 1), the divisor of the split. */
export function containerInstancesOf(template: { replicas?: number; spec?: { containers?: readonly unknown[] } }): number {
  return (template.spec?.containers?.length ?? 0) * (template.replicas ?? 1);
}

function splitList(
  list: Readonly<Record<string, string | number>> | undefined,
  instances: number,
): Record<string, string> | undefined {
  if (list === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const name of SPLIT_RESOURCE_NAMES) {
    const value = list[name];
    if (value === undefined) continue;
    // Kuscia splits the stored (canonical) form and stores the share as a parsed Quantity, so both
    // ends are canonicalised: "0.5Ki" is first "512" (decimal), "76800Mi" ends up "75Gi".
    result[name] = canonicalQuantity(splitQuantityText(canonicalQuantity(value), instances, name));
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/**
 * The per-container resources for a party that asked for `resources` in total, or undefined when
 * the party asked for nothing (the deploy template's own resources then stay). Only cpu, memory and
 * kuscia.io/bandwidth are carried over; limits and requests are split independently. The result
 * replaces each container's resources entirely (as in Kuscia), so `{}` — the party listed only other
 * resources — leaves the containers with none.
 */
export function splitPartyResources(
  resources: ResourceRequirements | undefined,
  instances: number,
): ResourceRequirements | undefined {
  if (resources === undefined || (resources.limits === undefined && resources.requests === undefined && resources.claims === undefined)) {
    return undefined;
  }
  const limits = splitList(resources.limits, instances);
  const requests = splitList(resources.requests, instances);
  return {
    ...(limits !== undefined ? { limits } : {}),
    ...(requests !== undefined ? { requests } : {}),
  };
}
