import type { ResourceType } from '../api/resource-type.ts';
import type { UserInfo } from '../auth/user-info.ts';
import type { WriteResult } from '../registry/rest-storage.ts';
import type { WriteOptions } from '../registry/write-options.ts';

export interface VirtualCreateRequest {
  rt: ResourceType;
  namespace: string;
  /** The parent object's name for a subresource (serviceaccounts/<name>/token). */
  name: string;
  body: unknown;
  user: UserInfo;
  opts: WriteOptions;
}

export type VirtualCreateHandler = (req: VirtualCreateRequest) => WriteResult | Promise<WriteResult>;

/**
 * Resources whose `create` computes an answer instead of storing an object, like kube-apiserver's
 * TokenRequest and the access/rules/self-subject reviews. They are served in discovery and OpenAPI
 * like any resource (their ResourceType allows only `create`), but nothing of them is ever stored.
 */
export class VirtualResources {
  private readonly handlers = new Map<string, VirtualCreateHandler>();

  register(group: string, resource: string, subresource: string, handler: VirtualCreateHandler): void {
    this.handlers.set(key(group, resource, subresource), handler);
  }

  createHandler(group: string, resource: string, subresource: string): VirtualCreateHandler | undefined {
    return this.handlers.get(key(group, resource, subresource));
  }
}

function key(group: string, resource: string, subresource: string): string {
  return `${group}/${resource}/${subresource}`;
}
