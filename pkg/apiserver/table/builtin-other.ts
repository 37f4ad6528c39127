import type { KubeObject } from '../api/object.ts';
import type { TableConvertor } from '../api/resource-type.ts';
import { fromLabelSelector } from '../selectors/label-selector.ts';
import { ageColumn, column, nameColumn } from './columns.ts';
import { ageSince } from './human-duration.ts';

/** Printer columns of the non-core kinds Kuscia uses: deployments, leases and RBAC bindings. */

type Obj = KubeObject & Record<string, any>;

const age = (o: KubeObject, now: Date) => ageSince(o.metadata.creationTimestamp, now);

/** layoutContainerCells: container names and images, comma-joined. */
function containerCells(containers: any[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

function selectorText(selector: unknown): string {
  try {
    return fromLabelSelector(selector as Parameters<typeof fromLabelSelector>[0]).toString();
  } catch {
    return '<invalid>';
  }
}

export const deploymentTable: TableConvertor = {
  columns: [
    nameColumn(),
    column('Ready', 'string', 'Number of the pod with ready state'),
    column('Up-to-date', 'string', 'Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
    column('Available', 'string', 'Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    column('Containers', 'string', 'Names of each container in the template.', 1),
    column('Images', 'string', 'Images referenced by each container in the template.', 1),
    column('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
  ],
  cells(obj, now) {
    const d = obj as Obj;
    const status = d.status ?? {};
    const [names, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      obj.metadata.name ?? '',
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
      status.updatedReplicas ?? 0,
      status.availableReplicas ?? 0,
      age(obj, now),
      names,
      images,
      selectorText(d.spec?.selector),
    ];
  },
};

export const leaseTable: TableConvertor = {
  columns: [nameColumn(), column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', (obj as Obj).spec?.holderIdentity ?? '', age(obj, now)],
};

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts. */
function subjectCells(subjects: any[] | undefined): [string, string, string] {
  const users: string[] = [];
  const groups: string[] = [];
  const sas: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
    else if (s.kind === 'ServiceAccount') sas.push(`${s.namespace ?? ''}/${s.name}`);
  }
  return [users.join(', '), groups.join(', '), sas.join(', ')];
}

function bindingTable(kind: 'roleBinding' | 'clusterRoleBinding', roleRefDescription: string): TableConvertor {
  return {
    columns: [
      nameColumn(),
      column('Role', 'string', roleRefDescription),
      ageColumn(),
      column('Users', 'string', `Users in the ${kind}`, 1),
      column('Groups', 'string', `Groups in the ${kind}`, 1),
      column('ServiceAccounts', 'string', `ServiceAccounts in the ${kind}`, 1),
    ],
    cells(obj, now) {
      const b = obj as Obj;
      return [obj.metadata.name ?? '', `${b.roleRef?.kind ?? ''}/${b.roleRef?.name ?? ''}`, age(obj, now), ...subjectCells(b.subjects)];
    },
  };
}

export const roleBindingTable = bindingTable(
  'roleBinding',
  'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);

export const clusterRoleBindingTable = bindingTable(
  'clusterRoleBinding',
  'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
);
