import { isDeepStrictEqual } from 'node:util';

/** Equal as JSON: what the API server would store (undefined fields dropped, key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a ?? null)), JSON.parse(JSON.stringify(b ?? null)));
}
