/** One ownerReference of a stored object, with the storage key its owner would have. */
export interface IndexedOwnerRef {
  uid: string;
  blocking: boolean;
  /** undefined while no served type has the reference's kind (a CRD not created yet). */
  ownerKey: string | undefined;
}

/**
 * The garbage collector's graph: which stored objects name which owners, and the reverse. Owners
 * are indexed by the storage key their reference points at (namespace + kind + name, as the
 * Kubernetes GC looks them up) and told apart by uid where it matters, so an owner that was
 * deleted and recreated under the same name does not keep the old one's dependents.
 */
export class OwnerIndex {
  private readonly refsByDependent = new Map<string, IndexedOwnerRef[]>();
  private readonly dependentsByOwner = new Map<string, Set<string>>();

  get size(): number {
    return this.refsByDependent.size;
  }

  isDependent(key: string): boolean {
    return this.refsByDependent.has(key);
  }

  /** Replaces `key`'s references; returns the previous ones. */
  set(key: string, refs: IndexedOwnerRef[]): IndexedOwnerRef[] {
    const before = this.remove(key);
    if (refs.length === 0) return before;
    this.refsByDependent.set(key, refs);
    for (const ref of refs) {
      if (!ref.ownerKey) continue;
      let set = this.dependentsByOwner.get(ref.ownerKey);
      if (!set) this.dependentsByOwner.set(ref.ownerKey, (set = new Set()));
      set.add(key);
    }
    return before;
  }

  /** Forgets `key` as a dependent; returns the references it had. */
  remove(key: string): IndexedOwnerRef[] {
    const before = this.refsByDependent.get(key) ?? [];
    this.refsByDependent.delete(key);
    for (const ref of before) {
      if (!ref.ownerKey) continue;
      const set = this.dependentsByOwner.get(ref.ownerKey);
      set?.delete(key);
      if (set?.size === 0) this.dependentsByOwner.delete(ref.ownerKey);
    }
    return before;
  }

  /** Keys of the objects that name the owner stored at `ownerKey` (with that uid, when given). */
  dependentsOf(ownerKey: string, ownerUid?: string): string[] {
    const keys = [...(this.dependentsByOwner.get(ownerKey) ?? [])];
    if (ownerUid === undefined) return keys;
    return keys.filter((k) => this.refsByDependent.get(k)?.some((r) => r.ownerKey === ownerKey && r.uid === ownerUid));
  }
}

/** Same owners, same blocking flags, same resolution: nothing for the collector to look at again. */
export function sameOwnerRefs(a: IndexedOwnerRef[], b: IndexedOwnerRef[]): boolean {
  return a.length === b.length && a.every((r, i) => r.uid === b[i].uid && r.blocking === b[i].blocking && r.ownerKey === b[i].ownerKey);
}
