import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { ApiError } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { RestStorage } from '../registry/rest-storage.ts';
import { objectKey } from '../registry/storage-keys.ts';
import { fromLabelSelector, type LabelSelectorSpec } from '../selectors/label-selector.ts';
import type { Store } from '../storage/types.ts';
import type { IndexedRole, RbacPolicyIndex } from './policy-index.ts';
import { systemWrite } from '../registry/write-options.ts';
import type { PolicyRule } from './types.ts';

export interface AggregationControllerDeps {
  index: RbacPolicyIndex;
  store: Store;
  rest: RestStorage;
  clusterRoles: ResourceType;
  log: Logger;
}

/**
 * kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an
 * aggregationRule has as rules the union of the rules of every other ClusterRole its selectors
 * match (selectors in order, matches by name, duplicates dropped). It runs once at start and
 * again after any RBAC change; writes happen after the change that triggered them (setImmediate).
 */
export class ClusterRoleAggregationController {
  private readonly deps: AggregationControllerDeps;
  private scheduled = false;
  private stopped = false;

  constructor(deps: AggregationControllerDeps) {
    this.deps = deps;
  }

  start(): void {
    // Aggregated roles can feed each other (view → edit → admin): settle them before serving.
    for (let pass = 0; pass < 10 && this.syncAll(); pass++);
    this.deps.index.onChange(() => this.schedule());
  }

  stop(): void {
    this.stopped = true;
  }

  private schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.syncAll();
    });
  }

  /** Brings every aggregated ClusterRole up to date; true when something was written. */
  syncAll(): boolean {
    let wrote = false;
    for (const role of this.deps.index.allClusterRoles()) {
      if (!role.aggregationRule) continue;
      // Re-read the roles for each one: an earlier write in this pass may have changed them.
      const rules = aggregatedRules(role, this.deps.index.allClusterRoles());
      if (isDeepStrictEqual(rules, role.rules)) continue;
      wrote = this.write(role.name, rules) || wrote;
    }
    return wrote;
  }

  private write(name: string, rules: PolicyRule[]): boolean {
    const { store, rest, clusterRoles, log } = this.deps;
    const entry = store.get(objectKey(clusterRoles, '', name));
    if (!entry) return false;
    const obj = JSON.parse(entry.value) as KubeObject;
    obj['rules'] = rules;
    try {
      rest.update(clusterRoles, '', name, '', obj, systemWrite('clusterrole-aggregation-controller'));
      log.debug({ clusterrole: name, rules: rules.length }, 'aggregated cluster role rules');
      return true;
    } catch (e) {
      // A concurrent change: the write it made triggers another pass.
      if (!(e instanceof ApiError && (e.code === 409 || e.code === 404))) log.error({ err: e, clusterrole: name }, 'cannot update aggregated cluster role');
      return false;
    }
  }
}

/** The union of the rules of the ClusterRoles `role`'s selectors match, in Kubernetes' order. */
export function aggregatedRules(role: IndexedRole, all: readonly IndexedRole[]): PolicyRule[] {
  const rules: PolicyRule[] = [];
  const byName = [...all].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const spec of role.aggregationRule?.clusterRoleSelectors ?? []) {
    let selector;
    try {
      selector = fromLabelSelector(spec as LabelSelectorSpec);
    } catch {
      continue; // an invalid selector selects nothing
    }
    for (const other of byName) {
      if (other.name === role.name || !selector.matches(other.labels)) continue;
      for (const rule of other.rules) if (!rules.some((r) => isDeepStrictEqual(r, rule))) rules.push(rule);
    }
  }
  return rules;
}
