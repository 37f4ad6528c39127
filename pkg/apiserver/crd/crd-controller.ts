import type { Logger } from 'pino';
import { metaTime } from '../registry/meta-time.ts';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { serializeAt } from '../registry/serialize.ts';
import { resourcePrefix } from '../registry/storage-keys.ts';
import { KeyNotFoundError, RevisionMismatchError, type Store, type WatchHandle } from '../storage/types.ts';
import type { CrdCondition, CustomResourceDefinition } from './crd-types.ts';
import { resourceTypesFromCrd } from './resource-type-from-crd.ts';

export const CRD_PREFIX = '/registry/apiextensions.k8s.io/customresourcedefinitions/';

export interface CrdControllerDeps {
  store: Store;
  registry: ResourceRegistry;
  now: () => Date;
  log: Logger;
}

/**
 * Serves custom resources as their definitions come and go, like kube-apiserver's
 * apiextensions controllers: an accepted CRD is registered (discovery, REST, watch, OpenAPI all
 * read the registry) and gets the NamesAccepted and Established conditions; a CRD whose names
 * collide with another one's gets NamesAccepted=False and is not served; deleting a CRD removes
 * every object of its kind.
 *
 * Storage events are handled after the write that caused them has returned (setImmediate), so
 * the controller never writes from inside another write.
 */
export class CrdController {
  private readonly deps: CrdControllerDeps;
  private handle: WatchHandle | undefined;
  /** CRD name → the group/versions/plural it registered, to unregister on change or delete. */
  private readonly served = new Map<string, { group: string; plural: string; versions: string[] }>();
  private pending = new Set<string>();
  private scheduled = false;

  constructor(deps: CrdControllerDeps) {
    this.deps = deps;
  }

  start(): void {
    const list = this.deps.store.list(CRD_PREFIX);
    for (const entry of list.items) this.sync(entry.key);
    this.handle = this.deps.store.watch(CRD_PREFIX, list.revision, (e) => this.enqueue(e.key));
  }

  stop(): void {
    this.handle?.stop();
  }

  private enqueue(key: string): void {
    this.pending.add(key);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const keys = [...this.pending];
      this.pending.clear();
      for (const k of keys) this.sync(k);
    });
  }

  private sync(key: string): void {
    const name = key.slice(CRD_PREFIX.length);
    const entry = this.deps.store.get(key);
    if (!entry) {
      this.removeServed(name, true);
      return;
    }
    const crd = JSON.parse(entry.value) as CustomResourceDefinition;
    const conflict = this.nameConflict(crd);
    if (conflict) {
      this.removeServed(name, false);
      this.writeStatus(key, [
        { type: 'NamesAccepted', status: 'False', reason: 'NameConflict', message: conflict },
        { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
      ]);
      return;
    }
    const types = resourceTypesFromCrd(crd);
    const prev = this.served.get(name);
    if (prev) {
      for (const v of prev.versions) if (!types.some((t) => t.version === v && t.group === prev.group)) this.deps.registry.remove(prev.group, v, prev.plural);
    }
    for (const t of types) this.deps.registry.add(t);
    this.served.set(name, { group: crd.spec.group, plural: crd.spec.names.plural, versions: types.map((t) => t.version) });
    this.writeStatus(key, [
      { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
      { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
    ]);
    this.deps.log.debug({ crd: name, versions: types.map((t) => t.version) }, 'serving custom resource');
  }

  /** Another CRD of the same group already serving this plural, kind or a short name. */
  private nameConflict(crd: CustomResourceDefinition): string | undefined {
    const { group, names } = crd.spec;
    for (const rt of this.deps.registry.all()) {
      if (rt.group !== group) continue;
      const owner = `${rt.resource}.${rt.group}`;
      if (owner === crd.metadata.name) continue;
      if (rt.resource === names.plural) return `"${names.plural}" is already in use`;
      if (rt.kind === names.kind) return `"${names.kind}" is already in use`;
      const clash = (names.shortNames ?? []).find((s) => rt.shortNames.includes(s));
      if (clash) return `"${clash}" is already in use`;
    }
    return undefined;
  }

  private removeServed(name: string, deleteObjects: boolean): void {
    const prev = this.served.get(name);
    if (!prev) return;
    for (const v of prev.versions) this.deps.registry.remove(prev.group, v, prev.plural);
    this.served.delete(name);
    if (deleteObjects) this.deleteAllObjects(prev.group, prev.plural);
  }

  private deleteAllObjects(group: string, plural: string): void {
    const prefix = resourcePrefix({ group, resource: plural });
    const { store } = this.deps;
    for (const entry of store.list(prefix).items) {
      try {
        store.delete(entry.key, entry.modRevision, (rev) => {
          const obj = JSON.parse(entry.value);
          return serializeAt(obj, rev);
        });
      } catch (e) {
        if (!(e instanceof KeyNotFoundError || e instanceof RevisionMismatchError)) throw e;
      }
    }
    this.deps.log.info({ group, resource: plural }, 'custom resource definition deleted; removed its objects');
  }

  /** Sets conditions, acceptedNames and storedVersions unless they already say the same. */
  private writeStatus(key: string, conditions: CrdCondition[]): void {
    for (let attempt = 0; attempt < 5; attempt++) {
      const entry = this.deps.store.get(key);
      if (!entry) return;
      const crd = JSON.parse(entry.value) as CustomResourceDefinition;
      const status = (crd.status ??= {});
      const existing = status.conditions ?? [];
      const now = metaTime(this.deps.now());
      let changed = false;
      const next = conditions.map((c) => {
        const old = existing.find((o) => o.type === c.type);
        if (old && old.status === c.status && old.reason === c.reason && old.message === c.message) return old;
        changed = true;
        return { ...c, lastTransitionTime: old && old.status === c.status ? old.lastTransitionTime : now };
      });
      const accepted = conditions[0].status === 'True';
      const storage = crd.spec.versions.find((v) => v.storage)?.name;
      const storedVersions = [...new Set([...(status.storedVersions ?? []), ...(storage ? [storage] : [])])];
      if (accepted && JSON.stringify(status.acceptedNames) !== JSON.stringify(crd.spec.names)) changed = true;
      if (JSON.stringify(storedVersions) !== JSON.stringify(status.storedVersions)) changed = true;
      if (!changed) return;
      status.conditions = [...existing.filter((o) => !conditions.some((c) => c.type === o.type)), ...next];
      if (accepted) status.acceptedNames = crd.spec.names;
      status.storedVersions = storedVersions;
      try {
        this.deps.store.update(key, entry.modRevision, (rev) => serializeAt(crd, rev));
        return;
      } catch (e) {
        if (!(e instanceof RevisionMismatchError)) throw e;
      }
    }
  }
}
