import type {
  V1ClusterRoleBinding,
  V1ConfigMap,
  V1Lease,
  V1Namespace,
  V1Node,
  V1ObjectMeta,
  V1Pod,
  V1ResourceQuota,
  V1Role,
  V1RoleBinding,
  V1Service,
} from '@kubernetes/client-node';

/**
 * An API type as it travels as JSON. client-node's models type timestamps as Date because its
 * generated serializer converts them; objects read through our JSON client and the informers keep
 * them as RFC 3339 strings, so this maps every Date in a model to string.
 */
export type Wire<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Wire<U>>
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type ObjectMeta = Wire<V1ObjectMeta>;

/** What every API object has: enough for keys, labels and preconditions. */
export interface ApiObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** A custom resource's object as served: plain JSON with a typed spec and status. */
export interface CustomObject<Spec = unknown, Status = unknown> extends ApiObject {
  spec?: Spec;
  status?: Status;
}

export type Pod = Wire<V1Pod>;
export type Node = Wire<V1Node>;
export type Service = Wire<V1Service>;
export type ConfigMap = Wire<V1ConfigMap>;
export type Namespace = Wire<V1Namespace>;
export type ResourceQuota = Wire<V1ResourceQuota>;
export type Role = Wire<V1Role>;
export type RoleBinding = Wire<V1RoleBinding>;
export type ClusterRoleBinding = Wire<V1ClusterRoleBinding>;
export type Lease = Wire<V1Lease>;

/** A list as served: items plus the list's resourceVersion. */
export interface ObjectList<T> {
  apiVersion?: string;
  kind?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  items: T[];
}
