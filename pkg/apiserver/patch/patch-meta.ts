import type { Schema } from '../schema/types.ts';
import { patchErrors } from './patch-error.ts';

/**
 * What strategic merge patch needs to know about one field: its schema (to keep walking) and
 * the `x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` of the field itself.
 * Built-in kinds carry these extensions in their published OpenAPI (from the Go struct tags
 * `patchStrategy` / `patchMergeKey`); an unknown field has neither, which makes maps merge
 * and lists be replaced.
 */
export interface FieldPatchMeta {
  /** Schema of a map-valued field, or of the items of a list-valued field. */
  schema: Schema | undefined;
  /** `merge`, `replace` or '' (no strategy: lists are replaced, maps merged). */
  strategy: string;
  mergeKey: string;
}

export function fieldPatchMeta(parent: Schema | undefined, key: string, asList: boolean): FieldPatchMeta {
  const field = propertySchema(parent, key);
  const strategy = extractStrategy(field?.['x-kubernetes-patch-strategy']);
  return {
    schema: asList ? field?.items : field,
    strategy,
    mergeKey: field?.['x-kubernetes-patch-merge-key'] ?? '',
  };
}

function propertySchema(parent: Schema | undefined, key: string): Schema | undefined {
  if (!parent) return undefined;
  const direct = parent.properties?.[key];
  if (direct) return direct;
  // Resolved built-in schemas may still wrap a referenced type in allOf (e.g. `metadata`).
  for (const sub of parent.allOf ?? []) {
    const found = propertySchema(sub, key);
    if (found) return found;
  }
  return typeof parent.additionalProperties === 'object' ? parent.additionalProperties : undefined;
}

/**
 * `merge,retainKeys` → `merge`: retainKeys only affects how clients build patches (the server
 * honours the `$retainKeys` directive whenever a patch carries one). Mirrors
 * strategicpatch.extractRetainKeysPatchStrategy, including its error for odd combinations.
 */
function extractStrategy(raw: string | undefined): string {
  if (!raw) return '';
  const parts = raw.split(',');
  if (parts.length === 1) return parts[0] === 'retainKeys' ? '' : parts[0];
  if (parts.length === 2) {
    if (parts[0] === 'retainKeys') return parts[1];
    if (parts[1] === 'retainKeys') return parts[0];
  }
  throw patchErrors.unknown(`unexpected patch strategy: [${parts.join(' ')}]`);
}
