/**
 * The fields an object sets (structured-merge-diff `TypedValue.ToFieldSet`): every scalar leaf,
 * every atomic list or map as a whole, every list item of an associative list (the item itself
 * plus its fields), every map entry that is not a declared struct field, and explicit nulls and
 * empty maps. A struct node whose fields are set is not itself a member.
 */
import type { Schema } from '../schema/types.ts';
import { isPlainObject, type KubeObject } from '../api/object.ts';
import { FieldSet } from './field-set.ts';
import { fieldElement, type FieldPath } from './field-set-path.ts';
import { DEDUCED, TypedValueError, atomFor, indexListItems, mapFieldType } from './field-set-schema.ts';
import { objectSchema } from './field-set-object-meta.ts';
import { stripUntrackedFields } from './managed-fields-strip.ts';

export interface TypedWalkOptions {
  /**
   * True for an applied configuration: undeclared fields and duplicate list keys are errors
   * (kube-apiserver refuses to build a typed patch object); stored objects are walked leniently.
   */
  strict: boolean;
}

/** The raw field set of `value` under `schema`, untracked metadata included. */
export function typedFieldSet(value: unknown, schema: Schema, opts: TypedWalkOptions): FieldSet {
  const out = new FieldSet();
  walk(value, schema, [], out, opts.strict);
  return out;
}

function walk(value: unknown, schema: Schema, path: FieldPath, out: FieldSet, strict: boolean): void {
  const atom = atomFor(schema, value);
  if (atom.kind === 'scalar') {
    out.insert(path);
    return;
  }
  if (atom.atomic) {
    out.insert(path);
    return;
  }
  if (atom.kind === 'list') {
    if (!Array.isArray(value)) return;
    for (const { element, item } of indexListItems(atom, value, path, strict)) {
      const itemPath = [...path, element];
      walk(item, atom.item, itemPath, out, strict);
      out.insert(itemPath);
    }
    return;
  }
  if (!isPlainObject(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if (child === undefined) continue;
    const childPath = [...path, fieldElement(key)];
    let type = mapFieldType(atom, key);
    if (!type) {
      if (strict) throw new TypedValueError(childPath, 'field not declared in schema');
      type = { schema: DEDUCED, named: false };
    }
    walk(child, type.schema, childPath, out, strict);
    if (child === null || (isPlainObject(child) && Object.keys(child).length === 0) || !type.named) {
      out.insert(childPath);
    }
  }
}

/**
 * The fields of `obj` that managedFields would attribute to whoever set them: the object's field
 * set without apiVersion, kind and the server-owned parts of metadata.
 */
export function fieldSetOf(obj: KubeObject, schema: Schema): FieldSet {
  const { managedFields: _ignored, ...metadata } = obj.metadata ?? {};
  return stripUntrackedFields(typedFieldSet({ ...obj, metadata }, objectSchema(schema), { strict: false }));
}
