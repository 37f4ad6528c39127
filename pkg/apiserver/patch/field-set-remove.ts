/**
 * Removing a set of fields from a value (structured-merge-diff `RemoveItems`): a member path
 * removes the field or list item with everything below it; a path that only has descendants in
 * the set is walked into. A container emptied that way stays as an empty container.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject } from '../api/object.ts';
import type { FieldSet } from './field-set.ts';
import { fieldElement, type FieldPath } from './field-set-path.ts';
import { DEDUCED, atomFor, listItemElement, mapFieldType } from './field-set-schema.ts';

export function removeFields(value: unknown, toRemove: FieldSet, schema: Schema): unknown {
  return remove(value, toRemove, schema, []);
}

function remove(value: unknown, toRemove: FieldSet, schema: Schema, path: FieldPath): unknown {
  if (toRemove.isEmpty()) return value;
  const atom = atomFor(schema, value);
  if (atom.kind === 'scalar' || atom.atomic) return value;
  if (atom.kind === 'list') {
    if (!Array.isArray(value)) return value;
    const out: unknown[] = [];
    for (const item of value) {
      const element = listItemElement(atom, item, path);
      if (toRemove.hasMember(element)) continue;
      out.push(remove(item, toRemove.withPrefix(element), atom.item, [...path, element]));
    }
    return out;
  }
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const element = fieldElement(key);
    if (toRemove.hasMember(element)) continue;
    const type = mapFieldType(atom, key)?.schema ?? DEDUCED;
    out[key] = remove(child, toRemove.withPrefix(element), type, [...path, element]);
  }
  return out;
}
