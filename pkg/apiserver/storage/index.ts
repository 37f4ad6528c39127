export * from './types.ts';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.ts';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.ts';
export { startCompactor, type Compactor, type CompactorOptions } from './compactor.ts';
export { DatabaseLockedError } from './file-lock.ts';
export { RevisionedStore, DEFAULT_HISTORY_CAPACITY, type StoreCoreOptions } from './revisioned-store.ts';
export type { WatcherErrorHandler } from './watch-hub.ts';
