/**
 * Pruning of fields a structural schema does not specify (apiextensions' pruning.PruneWithOptions
 * plus the ObjectMeta decoding step), returning the pruned paths in the form kube-apiserver uses
 * for fieldValidation warnings and Strict errors: `spec.foo`, `spec.tasks[0].bar`, `metadata.foo`.
 */
import type { Schema } from './types.ts';
import { deepCopyJson, isPlainObject } from './json-value.ts';
import type { UnchangedSubtrees } from './unchanged-subtrees.ts';
import { OBJECT_META_FIELDS, RESOURCE_META_FIELDS } from './object-meta-fields.ts';

export interface PruneOptions {
  /**
   * The value is a whole object (default true): apiVersion, kind and metadata are kept whatever
   * the schema says, and only known ObjectMeta fields survive under metadata.
   */
  isResourceRoot?: boolean;
  /**
   * Built-in kinds: an object node that declares neither properties nor additionalProperties keeps
   * its content (RawExtension-like fields), where a CRD schema would prune it empty.
   */
  preserveUnspecifiedObjects?: boolean;
  /** Subtrees to leave alone: already pruned under this schema (see unchanged-subtrees.ts). */
  unchanged?: UnchangedSubtrees;
}

/** Removes unknown fields from `value` in place; returns their sorted paths. */
export function pruneUnknownFields(value: unknown, schema: Schema | undefined, opts: PruneOptions = {}): string[] {
  const isRoot = opts.isResourceRoot ?? true;
  const found: string[] = [];
  const walker = new Pruner(found, opts.preserveUnspecifiedObjects === true, opts.unchanged);
  if (isRoot && isPlainObject(value)) walker.pruneObjectMeta(value.metadata, 'metadata');
  walker.prune(value, isRoot ? { ...(schema ?? {}), 'x-kubernetes-embedded-resource': true } : schema, '');
  return found.sort();
}

/** Reports unknown fields without touching `value` (fieldValidation=Strict|Warn detection). */
export function findUnknownFields(value: unknown, schema: Schema | undefined, opts: PruneOptions = {}): string[] {
  return pruneUnknownFields(deepCopyJson(value), schema, opts);
}

/** The text kube-apiserver uses for one unknown field, in warnings and in Strict errors. */
export function unknownFieldMessage(path: string): string {
  return `unknown field "${path}"`;
}

class Pruner {
  readonly found: string[];
  readonly preserveUnspecified: boolean;
  readonly unchanged: UnchangedSubtrees | undefined;

  constructor(found: string[], preserveUnspecified: boolean, unchanged: UnchangedSubtrees | undefined) {
    this.found = found;
    this.preserveUnspecified = preserveUnspecified;
    this.unchanged = unchanged;
  }

  prune(x: unknown, s: Schema | undefined, path: string): void {
    if (this.unchanged?.has(x)) return;
    if (s && (s['x-kubernetes-preserve-unknown-fields'] || (this.preserveUnspecified && this.isUnspecifiedObject(s)))) {
      this.skipPrune(x, s, path);
      return;
    }
    if (isPlainObject(x)) {
      if (!s) {
        for (const k of Object.keys(x)) {
          this.found.push(join(path, k));
          delete x[k];
        }
        return;
      }
      const embedded = s['x-kubernetes-embedded-resource'] === true;
      if (embedded && path !== '') this.pruneObjectMeta(x.metadata, join(path, 'metadata'));
      for (const k of Object.keys(x)) {
        if (embedded && RESOURCE_META_FIELDS.has(k)) continue;
        const prop = s.properties?.[k];
        if (prop) this.prune(x[k], prop, join(path, k));
        else if (s.additionalProperties !== undefined) this.prune(x[k], additionalSchema(s), join(path, k));
        else {
          // A root without a schema for them drops apiVersion/kind/metadata silently.
          if (!RESOURCE_META_FIELDS.has(k) || path !== '') this.found.push(join(path, k));
          delete x[k];
        }
      }
    } else if (Array.isArray(x)) {
      x.forEach((item, i) => this.prune(item, s?.items, `${path}[${i}]`));
    }
  }

  /** Inside x-kubernetes-preserve-unknown-fields: unknown keys stay, known ones are still pruned below. */
  private skipPrune(x: unknown, s: Schema, path: string): void {
    if (this.unchanged?.has(x)) return;
    if (isPlainObject(x)) {
      const embedded = s['x-kubernetes-embedded-resource'] === true;
      if (embedded && path !== '') this.pruneObjectMeta(x.metadata, join(path, 'metadata'));
      for (const k of Object.keys(x)) {
        if (embedded && RESOURCE_META_FIELDS.has(k)) continue;
        const prop = s.properties?.[k];
        if (prop) this.prune(x[k], prop, join(path, k));
        else if (s.additionalProperties !== undefined) this.prune(x[k], additionalSchema(s), join(path, k));
      }
    } else if (Array.isArray(x) && s.items) {
      const items = s.items;
      x.forEach((item, i) => this.skipPrune(item, items, `${path}[${i}]`));
    }
  }

  /** ObjectMeta decoding drops fields metav1.ObjectMeta does not have. */
  pruneObjectMeta(meta: unknown, path: string): void {
    if (!isPlainObject(meta)) return;
    for (const k of Object.keys(meta)) {
      if (OBJECT_META_FIELDS.has(k)) continue;
      this.found.push(join(path, k));
      delete meta[k];
    }
  }

  private isUnspecifiedObject(s: Schema): boolean {
    return (s.type === 'object' || s.type === undefined) && !s.properties && s.additionalProperties === undefined && !s['x-kubernetes-int-or-string'];
  }
}

/** additionalProperties: true (or false) carries no schema; its values are pruned against nothing. */
function additionalSchema(s: Schema): Schema | undefined {
  return isPlainObject(s.additionalProperties) ? (s.additionalProperties as Schema) : undefined;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}
