import type { DeletionStrategy } from './deletion-strategy.ts';
import type { FieldError } from './field-error.ts';
import type { KubeObject } from './object.ts';
import type { Schema } from '../schema/types.ts';

/**
 * Everything the generic REST machinery needs to know about one served resource
 * (one group/version/resource). Built-in kinds are declared in pkg/apiserver/builtin; CRDs are
 * turned into ResourceTypes when they become Established.
 */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower-case: the URL segment. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  /** Subresources served in addition to the main resource, e.g. ['status'] or ['status', 'binding']. */
  subresources: string[];
  /**
   * Schema of the whole object. Drives validation and pruning (CRDs), unknown-field detection under
   * fieldValidation=Strict, defaults, merge keys for strategic merge patch and list types for
   * server-side apply, and the /openapi/v3 document.
   */
  schema: Schema;
  /** True for CRDs: unknown fields are pruned from storage (built-ins drop them when decoding). */
  prunesUnknownFields: boolean;
  /** Built-in kinds accept strategic merge patch; custom resources answer 415 like Kubernetes. */
  strategicMergePatch: boolean;
  strategy: ResourceStrategy;
  table: TableConvertor;
  /** Field selectors beyond metadata.name / metadata.namespace, e.g. spec.nodeName for pods. */
  fieldSelectors: Record<string, (obj: KubeObject) => string | undefined>;
  /**
   * Where the objects live when that differs from group/resource: core/v1 and events.k8s.io/v1
   * Events are one set of objects seen through two APIs.
   */
  storageGroup?: string;
  storageResource?: string;
  /** Conversion between this API's shape and the stored one, for resources stored as another API's objects. */
  codec?: StorageCodec;
}

/** events.k8s.io/v1 Events are stored as core/v1 Events: `note` ↔ `message`, `regarding` ↔ `involvedObject`, ... */
export interface StorageCodec {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** Kind-specific hooks, the TypeScript counterpart of a kube-apiserver RESTStrategy. */
export interface ResourceStrategy {
  /** Kubernetes defaulting (SetDefaults_*). Called on create and update, after schema defaults. */
  applyDefaults?(obj: KubeObject): void;
  /** Validation of a new object (after defaulting). */
  validate?(obj: KubeObject): FieldError[];
  /** Validation of an update; immutable fields are checked here. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Validation of a write to the status subresource (the status strategy's ValidateUpdate); absent
   * = validateUpdate. The spec is the stored one there, so a kind can skip re-checking it.
   */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** PrepareForCreate: reset fields clients may not set on create (e.g. a pod's status → Pending). */
  prepareForCreate?(obj: KubeObject): void;
  /** PrepareForUpdate of the main resource (not /status), after status was carried over. */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /**
   * PrepareForUpdate of the status subresource, after spec and metadata were carried over. `obj`'s
   * status may share subtrees with `old`'s: replace values, never write into shared objects.
   */
  prepareForStatusUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Graceful deletion (pods) and termination (namespaces); absent = the generic delete. */
  deletion?: DeletionStrategy;
}

export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** Server-side printing (`Accept: application/json;as=Table;g=meta.k8s.io;v=v1`). */
export interface TableConvertor {
  columns: TableColumnDefinition[];
  /** One row's cells, aligned with `columns`. `now` makes ages deterministic within one response. */
  cells(obj: KubeObject, now: Date): unknown[];
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export function apiVersionOf(rt: Pick<ResourceType, 'group' | 'version'>): string {
  return rt.group ? `${rt.group}/${rt.version}` : rt.version;
}
