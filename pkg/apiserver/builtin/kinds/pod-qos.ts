/**
 * Pod QoS class (`status.qosClass`), computed on create like kube-apiserver's qos.GetPodQOS:
 * only cpu and memory count; Guaranteed needs both limited in every container with requests equal
 * to limits, BestEffort means no requests or limits at all, everything else is Burstable.
 */
import { objectAt, objectsAt, type Obj } from '../validation/fields.ts';

const computeResources = ['cpu', 'memory'];

const binarySuffixes: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const decimalSuffixes: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** Numeric value of a resource.Quantity (for comparisons only), NaN when malformed. */
export function quantityValue(q: unknown): number {
  if (typeof q === 'number') return q;
  if (typeof q !== 'string') return Number.NaN;
  const m = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/.exec(q.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  const suffix = m[2] ?? '';
  if (suffix in binarySuffixes) return n * binarySuffixes[suffix];
  if (suffix in decimalSuffixes) return n * decimalSuffixes[suffix];
  return n * 10 ** Number(suffix.slice(1));
}

export function podQOSClass(spec: Obj | undefined): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...objectsAt(spec, 'initContainers'), ...objectsAt(spec, 'containers')];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const resources = objectAt(c, 'resources');
    const requests = objectAt(resources, 'requests') ?? {};
    const limits = objectAt(resources, 'limits') ?? {};
    for (const r of computeResources) {
      const req = requests[r] ?? limits[r];
      if (req !== undefined && quantityValue(req) !== 0) any = true;
      if (limits[r] !== undefined && quantityValue(limits[r]) !== 0) any = true;
      if (limits[r] === undefined || quantityValue(req) !== quantityValue(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
