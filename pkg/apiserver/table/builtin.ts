import type { TableConvertor } from '../api/resource-type.ts';
import {
  configMapTable,
  endpointsTable,
  eventTable,
  namespaceTable,
  nodeTable,
  podTable,
  resourceQuotaTable,
  secretTable,
  serviceAccountTable,
  serviceTable,
} from './builtin-core.ts';
import { clusterRoleBindingTable, deploymentTable, leaseTable, roleBindingTable } from './builtin-other.ts';
import { defaultTableConvertor } from './default-table.ts';

/** `group/resource` → kube-apiserver's printer. Roles, cluster roles and CRDs have none upstream either. */
const printers: Record<string, TableConvertor> = {
  '/pods': podTable,
  '/nodes': nodeTable,
  '/namespaces': namespaceTable,
  '/services': serviceTable,
  '/endpoints': endpointsTable,
  '/configmaps': configMapTable,
  '/secrets': secretTable,
  '/events': eventTable,
  '/serviceaccounts': serviceAccountTable,
  '/resourcequotas': resourceQuotaTable,
  'coordination.k8s.io/leases': leaseTable,
  'apps/deployments': deploymentTable,
  'rbac.authorization.k8s.io/rolebindings': roleBindingTable,
  'rbac.authorization.k8s.io/clusterrolebindings': clusterRoleBindingTable,
};

/**
 * The Table convertor kube-apiserver uses for a built-in resource; anything without a dedicated
 * printer gets the default Name + "Created At" table.
 */
export function builtinTableFor(group: string, resource: string): TableConvertor {
  return printers[`${group}/${resource}`] ?? defaultTableConvertor();
}
