import { ApiError, apiErrors } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { NamespaceAdmission } from '../registry/rest-storage.ts';
import { objectKey } from '../registry/storage-keys.ts';
import type { Store } from '../storage/types.ts';

/** Namespaces the NamespaceLifecycle plugin never lets anyone delete (kube-node-lease is not one). */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

export interface NamespaceLifecycleDeps {
  store: Store;
  namespaces: ResourceType;
}

/**
 * kube-apiserver's NamespaceLifecycle admission plugin: a namespaced object can only be created
 * in a namespace that exists (404 for the namespace otherwise) and is not Terminating (403 with
 * cause NamespaceTerminating); default, kube-system and kube-public may not be deleted.
 */
export class NamespaceLifecycleAdmission implements NamespaceAdmission {
  private readonly deps: NamespaceLifecycleDeps;

  constructor(deps: NamespaceLifecycleDeps) {
    this.deps = deps;
  }

  admitCreate(rt: ResourceType, obj: KubeObject): void {
    if (!rt.namespaced) return;
    const namespace = obj.metadata.namespace ?? '';
    const entry = this.deps.store.get(objectKey(this.deps.namespaces, '', namespace));
    if (!entry) throw apiErrors.notFound({ group: '', resource: 'namespaces' }, namespace);
    // Every create passes here: only a namespace whose text mentions Terminating is worth parsing.
    if (!entry.value.includes('"Terminating"')) return;
    const ns = JSON.parse(entry.value) as KubeObject;
    if ((ns['status'] as { phase?: string } | undefined)?.phase !== 'Terminating') return;
    // Admission runs before names are generated: a generateName-only object is named by its prefix.
    const name = obj.metadata.name || obj.metadata.generateName || '';
    const forbidden = apiErrors.forbidden({ group: rt.group, resource: rt.resource }, name, `unable to create new content in namespace ${namespace} because it is being terminated`);
    throw new ApiError(403, 'Forbidden', forbidden.message, {
      ...forbidden.details,
      causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
    });
  }

  admitDelete(rt: ResourceType, _namespace: string, name: string): void {
    if (rt.group === '' && rt.resource === 'namespaces' && IMMORTAL_NAMESPACES.has(name)) {
      throw apiErrors.forbidden({ group: '', resource: 'namespaces' }, name, 'this namespace may not be deleted');
    }
  }
}
