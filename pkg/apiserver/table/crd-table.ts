import type { KubeObject } from '../api/object.ts';
import type { TableColumnDefinition, TableConvertor } from '../api/resource-type.ts';
import { creationTimestampDescription, nameColumn } from './columns.ts';
import { jsonPathText } from './go-text.ts';
import { humanDuration, parseTimestamp } from './human-duration.ts';
import { compileJsonPath, type CompiledJsonPath } from './jsonpath.ts';

/** apiextensions.k8s.io/v1 CustomResourceColumnDefinition */
export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** A CRD version without additionalPrinterColumns is served with a single Age column. */
const defaultColumns: PrinterColumn[] = [{ name: 'Age', type: 'date', description: creationTimestampDescription, jsonPath: '.metadata.creationTimestamp' }];

/**
 * The custom-resource TableConvertor (apiextensions-apiserver tableconvertor.New): Name first, then
 * the declared columns with their type, format and priority. Cells the path does not find are null,
 * which kubectl prints as an empty cell. `date` cells are rendered as ages here because kubectl
 * prints server-side cells verbatim.
 */
export function crdTableConvertor(columns: readonly PrinterColumn[] | undefined): TableConvertor {
  const declared = columns && columns.length > 0 ? columns : defaultColumns;
  const paths: Array<CompiledJsonPath | undefined> = declared.map((c) => {
    try {
      return compileJsonPath(c.jsonPath);
    } catch {
      // CRD validation rejects unparsable paths; one that slipped through just prints nothing.
      return undefined;
    }
  });
  const definitions: TableColumnDefinition[] = [
    nameColumn(),
    ...declared.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns: definitions,
    cells(obj: KubeObject, now: Date): unknown[] {
      const cells: unknown[] = [obj.metadata.name ?? ''];
      declared.forEach((c, i) => {
        let results: unknown[] = [];
        try {
          results = paths[i]?.evaluate(obj) ?? [];
        } catch {
          results = [];
        }
        // Kubernetes only looks at the first match, even for `[*]` paths.
        cells.push(results.length === 0 ? null : cellFor(c.type, results[0], now));
      });
      return cells;
    },
  };
}

function cellFor(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return jsonPathText(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      const t = parseTimestamp(value);
      return t ? humanDuration(now.getTime() - t.getTime()) : '<invalid>';
    }
    default:
      return null;
  }
}
