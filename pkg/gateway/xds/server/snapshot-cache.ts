import type { Logger } from 'pino';
import type { EnvoyProtos, XdsResource } from '../envoy-protos.ts';
import { Debouncer, type DebounceOptions } from './debouncer.ts';
import { buildSnapshot, typeSnapshot, type EncodedXdsResource, type Snapshot } from './snapshot.ts';

/**
 * The group a node falls back to when no snapshot was set for its own group: every gateway of a
 * domain can share one snapshot without the control plane knowing their node ids in advance.
 */
export const FALLBACK_NODE_GROUP = '*';

/** What setSnapshot accepts: resources to encode, or a snapshot built (and so validated) by buildSnapshot. */
export type SnapshotInput = Iterable<XdsResource | EncodedXdsResource> | Snapshot;

export interface SnapshotCacheOptions {
  protos: EnvoyProtos;
  debounce: DebounceOptions;
  log: Logger;
  /** Called after a debounced batch was applied, with the groups whose snapshot changed in any type. */
  onChange: (changedGroups: ReadonlySet<string>) => void;
  /** A group's update was dropped because a resource does not encode. */
  onError?: (group: string, error: Error) => void;
}

/**
 * Snapshots by node group. Updates are debounced: a burst of setSnapshot calls is encoded and
 * compared once, and only groups whose content changed are reported.
 */
export class SnapshotCache {
  readonly #options: SnapshotCacheOptions;
  readonly #log: Logger;
  readonly #applied = new Map<string, Snapshot>();
  /** Updates waiting for the debouncer; null clears the group. */
  readonly #pending = new Map<string, SnapshotInput | null>();
  readonly #debouncer: Debouncer;

  constructor(options: SnapshotCacheOptions) {
    this.#options = options;
    this.#log = options.log.child({ component: 'xds-snapshot-cache' });
    this.#debouncer = new Debouncer(options.debounce, () => this.#applyPending());
  }

  /** Replaces a group's resources (after the debounce period). */
  setSnapshot(group: string, resources: SnapshotInput): void {
    // Materialize now: a generator or a collection the caller reuses must not change what is applied.
    this.#pending.set(group, resources instanceof Map ? resources : [...(resources as Iterable<XdsResource | EncodedXdsResource>)]);
    this.#debouncer.trigger();
  }

  /** Forgets a group; its nodes fall back to FALLBACK_NODE_GROUP. */
  clearSnapshot(group: string): void {
    this.#pending.set(group, null);
    this.#debouncer.trigger();
  }

  /** Applies pending updates now instead of waiting for the debounce period. */
  flush(): void {
    this.#debouncer.flush();
  }

  /** The snapshot a node of `group` is served: its own, else the fallback group's. */
  snapshotFor(group: string): Snapshot | undefined {
    return this.#applied.get(group) ?? this.#applied.get(FALLBACK_NODE_GROUP);
  }

  /** Stops the debounce timer; pending updates are dropped. */
  close(): void {
    this.#debouncer.cancel();
    this.#pending.clear();
  }

  #applyPending(): void {
    const changed = new Set<string>();
    for (const [group, input] of this.#pending) {
      const previous = this.#applied.get(group);
      if (input === null) {
        if (previous && this.#applied.delete(group)) changed.add(group);
        continue;
      }
      let next: Snapshot;
      try {
        next = input instanceof Map ? input : buildSnapshot(this.#options.protos, input as Iterable<XdsResource | EncodedXdsResource>);
      } catch (err) {
        // The group keeps serving its last good snapshot; a builder bug must not take the gateway down.
        this.#log.error({ err, group }, 'snapshot not applied: a resource does not encode');
        this.#options.onError?.(group, err as Error);
        continue;
      }
      this.#applied.set(group, next);
      if (!previous || !sameVersions(previous, next)) changed.add(group);
    }
    this.#pending.clear();
    if (changed.size > 0) this.#options.onChange(changed);
  }
}

function sameVersions(a: Snapshot, b: Snapshot): boolean {
  const types = new Set([...a.keys(), ...b.keys()]);
  for (const t of types) if (typeSnapshot(a, t).version !== typeSnapshot(b, t).version) return false;
  return true;
}
