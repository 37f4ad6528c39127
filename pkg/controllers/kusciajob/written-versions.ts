/**
 * Remembers, per job, the resourceVersion this controller last wrote over. Until the informer has
 * delivered the write, its cache still holds that version; reconciling from it would apply the same
 * decision again (stop the tasks twice, restart twice) only to fail with a conflict. Such a
 * reconcile is skipped: the update event of the write brings the job back. Only versions are compared
 * for equality, never ordered (resourceVersions are opaque).
 */
import type { KusciaJob } from '../../crd/index.ts';

export class WrittenVersions {
  private readonly replaced = new Map<string, string>();

  /** After a successful write of `before` that produced `after`. */
  record(key: string, before: KusciaJob, after: KusciaJob | undefined): void {
    const old = before.metadata.resourceVersion;
    // A write the server found to be a no-op keeps the version and sends no event: nothing to wait for.
    if (old && after?.metadata.resourceVersion && after.metadata.resourceVersion !== old) this.replaced.set(key, old);
  }

  /** Whether `cached` is the version a write of ours has already replaced. */
  isStale(key: string, cached: KusciaJob): boolean {
    const old = this.replaced.get(key);
    if (old === undefined) return false;
    if (old === cached.metadata.resourceVersion) return true;
    this.replaced.delete(key);
    return false;
  }

  forget(key: string): void {
    this.replaced.delete(key);
  }
}
