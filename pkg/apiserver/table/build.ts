import { apiErrors } from '../api/errors.ts';
import type { KubeObject } from '../api/object.ts';
import type { TableColumnDefinition, TableConvertor } from '../api/resource-type.ts';

/** What each row carries in `object` (metav1.TableOptions.includeObject). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface BuildTableOptions {
  now: Date;
  /** Default Metadata, as kube-apiserver. Any other string is a 400 like upstream. */
  includeObject?: IncludeObject | string;
  /** Watch events after the first one, or `?noHeaders`-style requests: columnDefinitions is null. */
  noHeaders?: boolean;
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
  /** Group version the client asked for (`g=meta.k8s.io;v=v1beta1`); default v1. */
  version?: 'v1' | 'v1beta1';
}

export type TableRow = {
  cells: unknown[];
  object: unknown;
};

/** A type alias (not an interface) so callers may treat it as a plain JSON record. */
export type Table = {
  kind: 'Table';
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[] | null;
  rows: TableRow[];
};

/**
 * Assembles a `meta.k8s.io/v1` Table the way kube-apiserver's handler does (ConvertToTable + asTable):
 * list metadata, column definitions unless noHeaders, one row per object whose `object` is a
 * PartialObjectMetadata by default, the full object for includeObject=Object, or null for None.
 */
export function buildTable(convertor: TableConvertor, objects: readonly KubeObject[], opts: BuildTableOptions): Table {
  const version = opts.version ?? 'v1';
  const include = opts.includeObject ?? 'Metadata';
  if (include !== 'None' && include !== 'Metadata' && include !== 'Object' && include !== '') {
    throw apiErrors.badRequest(`unrecognized includeObject value: ${JSON.stringify(include)}`);
  }
  const metadata: Table['metadata'] = {};
  if (opts.resourceVersion) metadata.resourceVersion = opts.resourceVersion;
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined && opts.remainingItemCount !== null) metadata.remainingItemCount = opts.remainingItemCount;

  const rows = objects.map((obj): TableRow => {
    let object: unknown;
    if (include === 'Object') object = obj;
    else if (include === 'None') object = null;
    else object = { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: obj.metadata };
    return { cells: convertor.cells(obj, opts.now), object };
  });

  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${version}`,
    metadata,
    columnDefinitions: opts.noHeaders ? null : convertor.columns.map((c) => ({ ...c })),
    rows,
  };
}
