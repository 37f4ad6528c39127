/**
 * Order of API groups in `/apis`. kube-apiserver sorts APIServices by group priority (highest
 * first, then by name); built-in groups have fixed priorities (kube-aggregator's
 * `apiVersionPriorities`) and CRD groups all get 1000, so they follow the built-ins alphabetically.
 * The core group ("") is served separately at `/api` and always comes first.
 */
const BUILT_IN_GROUP_PRIORITY: Record<string, number> = {
  '': 18000,
  'apiregistration.k8s.io': 17900,
  apps: 17800,
  'events.k8s.io': 17750,
  'authentication.k8s.io': 17700,
  'authorization.k8s.io': 17600,
  autoscaling: 17500,
  batch: 17400,
  'certificates.k8s.io': 17300,
  'networking.k8s.io': 17200,
  policy: 17100,
  'rbac.authorization.k8s.io': 17000,
  'storage.k8s.io': 16800,
  'admissionregistration.k8s.io': 16700,
  'apiextensions.k8s.io': 16700,
  'scheduling.k8s.io': 16600,
  'coordination.k8s.io': 16500,
  'node.k8s.io': 16300,
  'discovery.k8s.io': 16200,
  'flowcontrol.apiserver.k8s.io': 16100,
  'internal.apiserver.k8s.io': 16000,
  'resource.k8s.io': 15900,
  'storagemigration.k8s.io': 15800,
};

const CUSTOM_GROUP_PRIORITY = 1000;

export function groupPriority(group: string): number {
  return BUILT_IN_GROUP_PRIORITY[group] ?? CUSTOM_GROUP_PRIORITY;
}

/** Negative when group `a` is listed before group `b`. */
export function compareGroups(a: string, b: string): number {
  return groupPriority(b) - groupPriority(a) || (a < b ? -1 : a > b ? 1 : 0);
}
