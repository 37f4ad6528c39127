import type { KubeObject } from '../api/object.ts';
import type { TableConvertor } from '../api/resource-type.ts';
import { column, creationTimestampDescription, nameColumn } from './columns.ts';
import { parseTimestamp } from './human-duration.ts';

/**
 * rest.NewDefaultTableConvertor: what kube-apiserver serves for kinds without a printer
 * (roles, clusterroles, customresourcedefinitions, ...). "Created At" is a `date` column whose cell
 * is the RFC 3339 timestamp itself, so kubectl shows e.g. 2024-05-01T10:00:00Z.
 */
export function defaultTableConvertor(): TableConvertor {
  return {
    columns: [nameColumn(), column('Created At', 'date', creationTimestampDescription)],
    cells(obj: KubeObject): unknown[] {
      const created = parseTimestamp(obj.metadata.creationTimestamp);
      // A zero metav1.Time formats as Go's zero time.
      return [obj.metadata.name ?? '', created ? created.toISOString().replace(/\.\d{3}Z$/, 'Z') : '0001-01-01T00:00:00Z'];
    },
  };
}
