import type { ResourceType } from '../api/resource-type.ts';
import type { RestStorage } from './rest-storage.ts';
import { systemWrite } from './write-options.ts';

/** The namespaces every Kubernetes cluster has (kube-apiserver's system namespaces controller). */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export function bootstrapNamespaces(rest: RestStorage, namespaces: ResourceType): void {
  for (const name of SYSTEM_NAMESPACES) {
    try {
      rest.get(namespaces, '', name);
      continue;
    } catch {
      // not there yet: create it below
    }
    rest.create(namespaces, '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, systemWrite('kube-apiserver'));
  }
}
