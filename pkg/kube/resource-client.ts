import type { KubeApi } from './api-client.ts';
import { collectionPath, type ListOptions, type ResourceRef } from './client.ts';
import type { ApiObject, ObjectList } from './wire.ts';

export type PatchType = 'merge' | 'json' | 'strategic';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  /** Delete only if the object still has this uid (guards against deleting a re-created namesake). */
  uid?: string;
}

/**
 * CRUD, patch and subresources for one resource type, as plain JSON through a shared KubeApi. The
 * same class serves pods and custom resources: controllers read through informers and write here.
 * `namespace` is '' for cluster-scoped resources.
 */
export class ResourceClient<T extends ApiObject> {
  readonly api: KubeApi;
  readonly resource: ResourceRef;

  constructor(api: KubeApi, resource: ResourceRef) {
    this.api = api;
    this.resource = resource;
  }

  get(namespace: string, name: string): Promise<T> {
    return this.api.request<T>('GET', this.path(namespace, name));
  }

  list(namespace?: string, options: ListOptions = {}): Promise<ObjectList<T>> {
    return this.api.request<ObjectList<T>>('GET', collectionPath(this.resource, namespace), {
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
    });
  }

  create(body: T, options: { fieldManager?: string } = {}): Promise<T> {
    return this.api.request<T>('POST', collectionPath(this.resource, body.metadata?.namespace), { body, query: { fieldManager: options.fieldManager } });
  }

  /** PUT of the whole object; metadata.resourceVersion makes it conditional (409 when stale). */
  replace(body: T): Promise<T> {
    const { namespace = '', name = '' } = body.metadata ?? {};
    return this.api.request<T>('PUT', this.path(namespace, name), { body });
  }

  /**
   * Writes `status`: through the status subresource, or (for types without one, such as Kuscia's
   * TaskResource) as a whole-object PUT. Conditional on metadata.resourceVersion either way.
   */
  replaceStatus(body: T): Promise<T> {
    const { namespace = '', name = '' } = body.metadata ?? {};
    const sub = this.resource.statusSubresource === false ? undefined : 'status';
    return this.api.request<T>('PUT', this.path(namespace, name, sub), { body });
  }

  patch(namespace: string, name: string, patch: unknown, options: { type?: PatchType; subresource?: string } = {}): Promise<T> {
    const type = options.type ?? 'merge';
    return this.api.request<T>('PATCH', this.path(namespace, name, options.subresource), { body: patch, contentType: PATCH_CONTENT_TYPES[type] });
  }

  async delete(namespace: string, name: string, options: DeleteOptions = {}): Promise<void> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = options.gracePeriodSeconds;
    if (options.propagationPolicy) body['propagationPolicy'] = options.propagationPolicy;
    if (options.uid) body['preconditions'] = { uid: options.uid };
    await this.api.request('DELETE', this.path(namespace, name), { body });
  }

  /** POST to a subresource such as pods/binding or pods/eviction. */
  createSubresource<R = unknown>(namespace: string, name: string, subresource: string, body: unknown): Promise<R> {
    return this.api.request<R>('POST', this.path(namespace, name, subresource), { body });
  }

  private path(namespace: string, name: string, subresource?: string): string {
    const base = `${collectionPath(this.resource, namespace)}/${encodeURIComponent(name)}`;
    return subresource ? `${base}/${subresource}` : base;
  }
}
