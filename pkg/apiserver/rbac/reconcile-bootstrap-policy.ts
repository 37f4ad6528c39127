import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { objectKey } from '../registry/storage-keys.ts';
import type { Store } from '../storage/types.ts';
import {
  AUTOUPDATE_ANNOTATION,
  BOOTSTRAPPING_LABEL,
  bootstrapClusterRoleBindings,
  bootstrapClusterRoles,
  type BootstrapClusterRole,
  type BootstrapClusterRoleBinding,
} from './bootstrap-policy.ts';
import { covers } from './policy-covers.ts';
import { systemWrite } from '../registry/write-options.ts';
import { RBAC_GROUP, type AggregationRule, type PolicyRule, type Subject } from './types.ts';

export interface ReconcileDeps {
  store: Store;
  rest: RestStorage;
  clusterRoles: ResourceType;
  clusterRoleBindings: ResourceType;
  log: Logger;
}

const FIELD_MANAGER = 'kube-apiserver';

/**
 * kube-apiserver's RBAC post-start hook, run on every start: missing bootstrap ClusterRoles and
 * ClusterRoleBindings are created; existing ones get missing labels, annotations, rules,
 * aggregation selectors and subjects added (nothing is removed), unless an administrator set
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` on them. A binding whose roleRef
 * changed is recreated (roleRef is immutable).
 */
export function reconcileBootstrapPolicy(deps: ReconcileDeps): void {
  const changed: string[] = [];
  for (const role of bootstrapClusterRoles) if (reconcileRole(deps, role)) changed.push(`clusterrole/${role.name}`);
  for (const binding of bootstrapClusterRoleBindings) if (reconcileBinding(deps, binding)) changed.push(`clusterrolebinding/${binding.name}`);
  if (changed.length > 0) deps.log.info({ changed }, 'reconciled the bootstrap RBAC policy');
}

function bootstrapMetadata(name: string, labels: Record<string, string> = {}) {
  return { name, labels: { [BOOTSTRAPPING_LABEL]: 'rbac-defaults', ...labels }, annotations: { [AUTOUPDATE_ANNOTATION]: 'true' } };
}

/** True when the role was created or changed. */
function reconcileRole(deps: ReconcileDeps, expected: BootstrapClusterRole): boolean {
  const { store, rest, clusterRoles } = deps;
  const entry = store.get(objectKey(clusterRoles, '', expected.name));
  if (!entry) {
    const role: KubeObject = { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: bootstrapMetadata(expected.name, expected.labels) };
    if (expected.aggregationRule) role['aggregationRule'] = expected.aggregationRule;
    if (expected.rules) role['rules'] = expected.rules;
    rest.create(clusterRoles, '', role, systemWrite(FIELD_MANAGER));
    return true;
  }
  const existing = JSON.parse(entry.value) as KubeObject;
  if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return false;
  const next = structuredClone(existing);
  mergeMetadata(next, bootstrapMetadata(expected.name, expected.labels));
  if (expected.aggregationRule) {
    // Aggregated roles' rules belong to the aggregation controller; only their selectors are reconciled.
    const selectors = ((next['aggregationRule'] as AggregationRule | undefined)?.clusterRoleSelectors ?? []).slice();
    for (const s of expected.aggregationRule.clusterRoleSelectors ?? []) if (!selectors.some((x) => isDeepStrictEqual(x, s))) selectors.push(s);
    next['aggregationRule'] = { clusterRoleSelectors: selectors };
  } else if (expected.rules) {
    const rules = (next['rules'] as PolicyRule[] | undefined) ?? [];
    const { missing } = covers(rules, expected.rules);
    if (missing.length > 0) next['rules'] = [...rules, ...missing];
  }
  if (isDeepStrictEqual(next, existing)) return false;
  rest.update(clusterRoles, '', expected.name, '', next, systemWrite(FIELD_MANAGER));
  return true;
}

/** True when the binding was created, recreated or changed. */
function reconcileBinding(deps: ReconcileDeps, expected: BootstrapClusterRoleBinding): boolean {
  const { store, rest, clusterRoleBindings } = deps;
  const roleRef = { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: expected.roleName };
  const fresh = (): KubeObject => ({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRoleBinding', metadata: bootstrapMetadata(expected.name), roleRef, subjects: expected.subjects });
  const entry = store.get(objectKey(clusterRoleBindings, '', expected.name));
  if (!entry) {
    rest.create(clusterRoleBindings, '', fresh(), systemWrite(FIELD_MANAGER));
    return true;
  }
  const existing = JSON.parse(entry.value) as KubeObject;
  if (existing.metadata.annotations?.[AUTOUPDATE_ANNOTATION] === 'false') return false;
  if (!isDeepStrictEqual(existing['roleRef'], roleRef)) {
    rest.delete(clusterRoleBindings, '', expected.name, { dryRun: false });
    rest.create(clusterRoleBindings, '', fresh(), systemWrite(FIELD_MANAGER));
    return true;
  }
  const next = structuredClone(existing);
  mergeMetadata(next, bootstrapMetadata(expected.name));
  const subjects = ((next['subjects'] as Subject[] | undefined) ?? []).slice();
  for (const s of expected.subjects) if (!subjects.some((x) => x.kind === s.kind && x.name === s.name && (x.namespace ?? '') === (s.namespace ?? ''))) subjects.push(s);
  next['subjects'] = subjects;
  if (isDeepStrictEqual(next, existing)) return false;
  rest.update(clusterRoleBindings, '', expected.name, '', next, systemWrite(FIELD_MANAGER));
  return true;
}

/** Adds the expected labels and annotations that are missing; existing values win. */
function mergeMetadata(obj: KubeObject, expected: { labels: Record<string, string>; annotations: Record<string, string> }): void {
  obj.metadata.labels = { ...expected.labels, ...obj.metadata.labels };
  obj.metadata.annotations = { ...expected.annotations, ...obj.metadata.annotations };
}
