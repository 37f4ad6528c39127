import { statSync } from 'node:fs';
import type { ResourceRegistry } from '../registry/resource-registry.ts';
import { resourcePrefix } from '../registry/storage-keys.ts';
import type { Store } from '../storage/types.ts';
import type { StorageStatsSource } from './apiserver-metrics.ts';

export interface StorageStatsOptions {
  store: Store;
  registry: ResourceRegistry;
  backend: 'sqlite' | 'memory';
  /** SQLite database file; its WAL (`-wal`) counts towards the size too. */
  databasePath?: string;
}

/**
 * Storage figures for /metrics, computed when scraped. Object counts are per stored resource: a
 * resource served in several versions or under two groups (core and events.k8s.io Events) is
 * counted once, under its storage name, the way kube-apiserver reports apiserver_storage_objects
 * (`pods`, `deployments.apps`, `kusciajobs.kuscia.secretflow`).
 */
export function storageStats(opts: StorageStatsOptions): StorageStatsSource {
  const { store, registry } = opts;
  return {
    backend: opts.backend,
    *objectCounts() {
      const seen = new Set<string>();
      for (const rt of registry.all()) {
        const prefix = resourcePrefix(rt);
        if (seen.has(prefix)) continue;
        seen.add(prefix);
        const group = rt.storageGroup ?? rt.group;
        const resource = rt.storageResource ?? rt.resource;
        yield { resource: group ? `${resource}.${group}` : resource, count: store.count(prefix) };
      }
    },
    sizeBytes() {
      if (opts.databasePath) return fileSize(opts.databasePath) + fileSize(`${opts.databasePath}-wal`);
      // Memory storage has no file: report what the live values take (string length ≈ bytes of JSON).
      let bytes = 0;
      for (const entry of store.list('').items) bytes += entry.key.length + entry.value.length;
      return bytes;
    },
    revision: () => store.revision,
    compactedRevision: () => store.compactedRevision,
  };
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
