/**
 * A pod's resource needs as a TaskResource records them: each of requests and limits summed over
 * the pod's containers per resource name (Kubernetes' quota.Add: the sum keeps the first value's
 * format, names present in only one container are copied).
 */
import type { Quantity, ResourceRequirements } from '../../crd/common.ts';
import type { Pod } from '../../kube/wire.ts';
import { formatQuantity, parseQuantity, type Quantity as ParsedQuantity } from '../common/quantity.ts';

function addAll(sum: Map<string, ParsedQuantity>, list: Record<string, Quantity> | undefined): void {
  for (const [name, raw] of Object.entries(list ?? {})) {
    const q = parseQuantity(raw);
    const prev = sum.get(name);
    sum.set(name, prev ? { nanos: prev.nanos + q.nanos, format: prev.format } : q);
  }
}

function render(sum: Map<string, ParsedQuantity>): Record<string, string> | undefined {
  if (sum.size === 0) return undefined;
  return Object.fromEntries([...sum].map(([name, q]) => [name, formatQuantity(q)]));
}

export function summedPodResources(pod: Pod): ResourceRequirements {
  const requests = new Map<string, ParsedQuantity>();
  const limits = new Map<string, ParsedQuantity>();
  for (const container of pod.spec?.containers ?? []) {
    addAll(requests, container.resources?.requests);
    addAll(limits, container.resources?.limits);
  }
  const out: ResourceRequirements = {};
  const renderedRequests = render(requests);
  const renderedLimits = render(limits);
  if (renderedRequests) out.requests = renderedRequests;
  if (renderedLimits) out.limits = renderedLimits;
  return out;
}
