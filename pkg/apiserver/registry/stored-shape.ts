import type { KubeObject } from '../api/object.ts';
import type { ResourceType } from '../api/resource-type.ts';
import type { StoredEntry } from '../storage/types.ts';

/**
 * Between an API's shape and the stored shape. Almost every resource stores exactly what it
 * serves, and these are then free: the stored text goes out as it is. A resource with a codec
 * (events.k8s.io/v1 Events, stored as core/v1 Events) converts on the way in and out.
 */
export function decodeStored(rt: ResourceType, text: string): KubeObject {
  const obj = JSON.parse(text) as KubeObject;
  return rt.codec ? rt.codec.fromStorage(obj) : obj;
}

export function toStorage(rt: ResourceType, obj: KubeObject): KubeObject {
  return rt.codec ? rt.codec.toStorage(obj) : obj;
}

/** The JSON text a client of `rt` receives for a stored value. */
export function present(rt: ResourceType, text: string): string {
  return rt.codec ? JSON.stringify(rt.codec.fromStorage(JSON.parse(text) as KubeObject)) : text;
}

export function presentEntries(rt: ResourceType, entries: StoredEntry[]): StoredEntry[] {
  return rt.codec ? entries.map((e) => ({ ...e, value: present(rt, e.value) })) : entries;
}
