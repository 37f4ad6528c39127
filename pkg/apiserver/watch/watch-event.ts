import type { KubeObject } from '../api/object.ts';
import type { Selection } from '../registry/selection.ts';
import type { StorageEvent } from '../storage/types.ts';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * What a watcher with a selector sees of a storage event. An object that starts matching is
 * ADDED, one that stops matching is DELETED (carrying its new state, as kube-apiserver's watch
 * cache does), and changes outside the selection are not seen at all.
 */
export function visibleEventType(e: StorageEvent, selection: Selection): WatchEventType | undefined {
  if (selection.everything) return e.type;
  const now = e.type === 'DELETED' ? false : selection.matches(parse(e.value));
  const before = e.type === 'ADDED' ? false : e.prevValue !== undefined && selection.matches(parse(e.prevValue));
  if (e.type === 'DELETED') return before ? 'DELETED' : undefined;
  if (now && before) return 'MODIFIED';
  if (now) return 'ADDED';
  if (before) return 'DELETED';
  return undefined;
}

function parse(text: string): KubeObject {
  return JSON.parse(text) as KubeObject;
}

/**
 * One line of the watch stream: compact JSON, newline-terminated. Clients (client-go, client-node)
 * split on newlines, so an event must never contain one. The rendering is memoised on the event
 * so a hundred watchers of one resource serialise each change once.
 */
export function watchLine(e: StorageEvent, type: WatchEventType): string {
  const cacheKey = `json:${type}`;
  const cached = e.cache?.get(cacheKey);
  if (cached) return cached;
  const line = `{"type":"${type}","object":${e.value}}\n`;
  (e.cache ??= new Map()).set(cacheKey, line);
  return line;
}
