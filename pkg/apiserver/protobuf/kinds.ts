/**
 * Which proto package describes each served group/version. The message for a kind is
 * `<package>.<Kind>`: go-to-protobuf names messages after the Go types, which are the kinds.
 */
const PACKAGE_BY_GROUP_VERSION: Record<string, string> = {
  v1: 'k8s.io.api.core.v1',
  'apps/v1': 'k8s.io.api.apps.v1',
  'rbac.authorization.k8s.io/v1': 'k8s.io.api.rbac.v1',
  'coordination.k8s.io/v1': 'k8s.io.api.coordination.v1',
  'events.k8s.io/v1': 'k8s.io.api.events.v1',
  'authentication.k8s.io/v1': 'k8s.io.api.authentication.v1',
  'authorization.k8s.io/v1': 'k8s.io.api.authorization.v1',
  'policy/v1': 'k8s.io.api.policy.v1',
  'apiextensions.k8s.io/v1': 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1',
  'meta.k8s.io/v1': 'k8s.io.apimachinery.pkg.apis.meta.v1',
};

/**
 * meta/v1 option and status kinds are registered into every group version (AddToGroupVersion), so
 * a client may send e.g. `apps/v1 DeleteOptions`; their schema is always the meta/v1 one.
 */
const META_KINDS = new Set(['DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions', 'GetOptions', 'ListOptions', 'Status']);

/** Fully qualified proto message name for apiVersion + kind, or undefined when not served. */
export function protoMessageNameFor(apiVersion: string, kind: string): string | undefined {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(kind)) return undefined;
  const pkg = META_KINDS.has(kind) ? PACKAGE_BY_GROUP_VERSION['meta.k8s.io/v1'] : PACKAGE_BY_GROUP_VERSION[apiVersion];
  return pkg ? `${pkg}.${kind}` : undefined;
}

export function supportedGroupVersions(): string[] {
  return Object.keys(PACKAGE_BY_GROUP_VERSION);
}
