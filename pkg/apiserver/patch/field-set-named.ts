/**
 * structured-merge-diff's `EnsureNamedFieldsAreMembers`: a set that owns `spec.a.b` also owns the
 * declared struct fields on the way (`spec`, `spec.a`), but not map keys or list items. Pruning
 * uses it so that a struct whose last owned field goes away is removed as a whole.
 */
import type { Schema } from '../schema/types.ts';
import { FieldSet } from './field-set.ts';
import { DEDUCED, mapFieldType, staticAtom } from './field-set-schema.ts';

export function ensureNamedFieldsAreMembers(set: FieldSet, schema: Schema): FieldSet {
  const out = new FieldSet();
  const atom = staticAtom(schema);
  for (const m of set.sortedMembers()) out.insertMember(m);
  for (const { element, set: child } of set.sortedChildren()) {
    let childSchema: Schema = DEDUCED;
    if (element.kind === 'field' && atom.kind === 'map') {
      const type = mapFieldType(atom, element.name);
      if (type?.named) out.insertMember(element);
      childSchema = type?.schema ?? DEDUCED;
    } else if (element.kind !== 'field' && atom.kind === 'list') {
      childSchema = atom.item;
    }
    for (const p of ensureNamedFieldsAreMembers(child, childSchema).paths()) out.insert([element, ...p]);
  }
  return out;
}
