import type { ResourceType } from '../api/resource-type.ts';

/** What discovery says about one subresource: the kind its endpoint speaks and the verbs it accepts. */
export interface SubresourceInfo {
  /** Group/version of the kind when it differs from the parent's (e.g. autoscaling/v1 Scale). */
  group: string;
  version: string;
  kind: string;
  verbs: string[];
}

const READ_WRITE = ['get', 'patch', 'update'];

/**
 * Kinds and verbs as kube-apiserver reports them for the subresources it serves
 * (`kubectl get --raw /api/v1`, `/apis/apps/v1`). Subresources not listed here behave like
 * `status`: the parent kind, read and written as a whole.
 */
const KNOWN: Record<string, (rt: ResourceType) => Omit<SubresourceInfo, 'group' | 'version'> & { group?: string; version?: string }> = {
  status: (rt) => ({ kind: rt.kind, verbs: READ_WRITE }),
  scale: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: READ_WRITE }),
  binding: () => ({ kind: 'Binding', verbs: ['create'] }),
  eviction: () => ({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
  log: () => ({ kind: 'Pod', verbs: ['get'] }),
  exec: () => ({ kind: 'PodExecOptions', verbs: ['create', 'get'] }),
  attach: () => ({ kind: 'PodAttachOptions', verbs: ['create', 'get'] }),
  portforward: () => ({ kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }),
  proxy: (rt) => ({ kind: `${rt.kind}ProxyOptions`, verbs: ['create', 'delete', 'get', 'patch', 'update'] }),
  ephemeralcontainers: (rt) => ({ kind: rt.kind, verbs: READ_WRITE }),
  resize: (rt) => ({ kind: rt.kind, verbs: READ_WRITE }),
  finalize: (rt) => ({ kind: rt.kind, verbs: ['update'] }),
  token: () => ({ group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }),
  approval: (rt) => ({ kind: rt.kind, verbs: READ_WRITE }),
};

export function subresourceInfo(rt: ResourceType, subresource: string): SubresourceInfo {
  const known = KNOWN[subresource]?.(rt) ?? { kind: rt.kind, verbs: READ_WRITE };
  return { group: known.group ?? rt.group, version: known.version ?? rt.version, kind: known.kind, verbs: known.verbs };
}
