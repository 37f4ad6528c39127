import { RevisionedStore, type StoreCoreOptions } from './revisioned-store.ts';

export type MemoryStoreOptions = StoreCoreOptions;

/** A store that lives only in this process's memory (tests, `--storage memory`). */
export function createMemoryStore(options: MemoryStoreOptions = {}): RevisionedStore {
  return new RevisionedStore(options);
}
