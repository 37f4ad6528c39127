/**
 * Remembers objects this controller wrote until the informer shows the write. A decision taken
 * before the watch event arrives would otherwise start from the superseded object: redo a phase
 * (re-create TaskResources, re-patch pods), or count a TaskResource in the phase it had before our
 * own write (a retry reset read back as Failed would fail the group again at once).
 * Exact without comparing resourceVersions (which are opaque): an object whose resourceVersion is
 * one our writes replaced is known to be older than what we stored.
 */
import type { ApiObject } from '../../kube/wire.ts';
import { objectKey } from '../../kube/object-key.ts';

interface Written<T> {
  /** resourceVersions our writes replaced. */
  superseded: Set<string>;
  stored: T;
}

export class OwnWrites<T extends ApiObject> {
  private readonly byKey = new Map<string, Written<T>>();

  /** The newest known state of a cached object: what we stored, while the cache shows an object we replaced. */
  latest(cached: T): T {
    const key = objectKey(cached);
    const written = this.byKey.get(key);
    if (!written) return cached;
    if (written.superseded.has(cached.metadata?.resourceVersion ?? '')) return written.stored;
    // The cache caught up (or someone else wrote since): it is the truth again.
    this.byKey.delete(key);
    return cached;
  }

  /** Records that `stored` replaced `previous` (no-op when nothing was written). */
  record(previous: T, stored: T): void {
    const prevVersion = previous.metadata?.resourceVersion ?? '';
    if (!prevVersion || prevVersion === stored.metadata?.resourceVersion) return;
    const key = objectKey(stored);
    const written = this.byKey.get(key) ?? { superseded: new Set<string>(), stored };
    written.superseded.add(prevVersion);
    written.stored = stored;
    this.byKey.set(key, written);
  }

  /** For informer events: drops the record once the cache has moved past it (keeps the map small). */
  observe(obj: T): void {
    this.latest(obj);
  }

  forget(obj: T): void {
    this.byKey.delete(objectKey(obj));
  }
}
