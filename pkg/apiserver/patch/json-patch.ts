import { parsePointer } from './json-pointer.ts';
import { cloneJson, isJsonObject, jsonEqual, type JsonObject } from './json-value.ts';
import { patchErrors } from './patch-error.ts';

/** kube-apiserver refuses JSON patches with more operations than this (handlers/patch.go). */
export const MAX_JSON_PATCH_OPERATIONS = 10000;

type Container = JsonObject | unknown[];

/**
 * Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test) to a copy of `doc`.
 * Follows evanphx/json-patch v4 as kube-apiserver runs it: negative array indices count from
 * the end, `test` against a missing path passes when the expected value is null, and
 * `replace` of the whole document ('' path) accepts an object or array.
 *
 * Throws PatchError: 400 when the patch is not a list of operation objects, 413 beyond
 * MAX_JSON_PATCH_OPERATIONS, 422 when an operation does not apply.
 */
export function applyJsonPatch(doc: unknown, patch: unknown): unknown {
  const ops = decodeOperations(patch);
  let root = cloneJson(doc);
  for (const op of ops) root = applyOperation(root, op);
  return root;
}

function decodeOperations(patch: unknown): JsonObject[] {
  if (!Array.isArray(patch)) {
    throw patchErrors.badRequest(`json: cannot unmarshal ${jsonKind(patch)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of patch) {
    if (!isJsonObject(op) && op !== null) {
      throw patchErrors.badRequest(`json: cannot unmarshal ${jsonKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  if (patch.length > MAX_JSON_PATCH_OPERATIONS) throw patchErrors.tooManyOperations(MAX_JSON_PATCH_OPERATIONS, patch.length);
  return patch.map((op) => (op ?? {}) as JsonObject);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function applyOperation(root: unknown, op: JsonObject): unknown {
  const kind = typeof op['op'] === 'string' ? op['op'] : 'unknown';
  switch (kind) {
    case 'add': {
      const path = requirePath(op, 'path', kind);
      const target = locate(root, path);
      if (!target) throw fail(`add operation does not apply: doc is missing path: "${path}"`);
      addAt(target.container, target.key, cloneJson(op['value'] ?? null), path);
      return root;
    }
    case 'remove': {
      const path = requirePath(op, 'path', kind);
      const target = locate(root, path);
      if (!target) throw fail(`remove operation does not apply: doc is missing path: "${path}"`);
      removeAt(target.container, target.key, path);
      return root;
    }
    case 'replace': {
      const path = requirePath(op, 'path', kind);
      if (path === '') {
        const value = op['value'];
        if (!isJsonObject(value) && !Array.isArray(value)) throw fail('replace operation value must be object or array');
        return cloneJson(value);
      }
      const target = locate(root, path);
      if (!target) throw fail(`replace operation does not apply: doc is missing path: ${path}`);
      if (getAt(target.container, target.key) === undefined) throw fail(`replace operation does not apply: doc is missing key: ${path}`);
      setAt(target.container, target.key, cloneJson(op['value'] ?? null), path);
      return root;
    }
    case 'move': {
      const from = requirePath(op, 'from', kind);
      const source = locate(root, from);
      if (!source) throw fail(`move operation does not apply: doc is missing from path: ${from}`);
      const value = getAt(source.container, source.key);
      if (value === undefined) throw fail(`error in move for path: '${source.key}': missing value`);
      removeAt(source.container, source.key, from);
      const path = requirePath(op, 'path', kind);
      const target = locate(root, path);
      if (!target) throw fail(`move operation does not apply: doc is missing destination path: ${path}`);
      addAt(target.container, target.key, value, path);
      return root;
    }
    case 'copy': {
      const from = requirePath(op, 'from', kind);
      const source = locate(root, from);
      if (!source) throw fail(`copy operation does not apply: doc is missing from path: ${from}`);
      const value = getAt(source.container, source.key);
      if (value === undefined) throw fail(`error in copy for from: '${from}': missing value`);
      const path = requirePath(op, 'path', kind);
      const target = locate(root, path);
      if (!target) throw fail(`copy operation does not apply: doc is missing destination path: ${path}`);
      addAt(target.container, target.key, cloneJson(value), path);
      return root;
    }
    case 'test': {
      const path = requirePath(op, 'path', kind);
      const expected = op['value'] ?? null;
      if (path === '') {
        if (jsonEqual(root, expected)) return root;
        throw fail(`testing value ${path} failed: test failed`);
      }
      const target = locate(root, path);
      if (!target) throw fail(`test operation does not apply: is missing path: ${path}`);
      const actual = getAt(target.container, target.key) ?? null;
      // evanphx/json-patch treats a missing member and a null member alike.
      if (jsonEqual(actual, expected)) return root;
      throw fail(`testing value ${path} failed: test failed`);
    }
    default:
      throw fail(`Unexpected kind: ${kind}`);
  }
}

function fail(detail: string) {
  return patchErrors.unprocessable(detail);
}

function requirePath(op: JsonObject, field: 'path' | 'from', kind: string): string {
  const v = op[field];
  if (typeof v !== 'string') {
    throw fail(field === 'path' ? `${kind} operation failed to decode path: operation missing path field: missing value` : `${kind} operation failed to decode from: operation, missing from field: missing value`);
  }
  return v;
}

/** The container holding the last token of `pointer`, when every parent exists. */
function locate(root: unknown, pointer: string): { container: Container; key: string } | undefined {
  const tokens = parsePointer(pointer);
  if (!tokens || tokens.length === 0) return undefined;
  let current: unknown = root;
  for (const token of tokens.slice(0, -1)) {
    current = isJsonObject(current) || Array.isArray(current) ? getAt(current, token) : undefined;
    if (current === undefined || current === null) return undefined;
  }
  if (!isJsonObject(current) && !Array.isArray(current)) return undefined;
  return { container: current, key: tokens[tokens.length - 1] };
}

/** strconv.Atoi: optional sign, decimal digits. */
function arrayIndex(key: string): number | undefined {
  return /^[+-]?\d+$/.test(key) ? Number(key) : undefined;
}

function getAt(container: Container, key: string): unknown {
  if (!Array.isArray(container)) return Object.hasOwn(container, key) ? container[key] : undefined;
  let idx = arrayIndex(key);
  if (idx === undefined) return undefined;
  if (idx < 0) idx += container.length;
  return idx >= 0 && idx < container.length ? container[idx] : undefined;
}

function addAt(container: Container, key: string, value: unknown, path: string): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  if (key === '-') {
    container.push(value);
    return;
  }
  let idx = arrayIndex(key);
  if (idx === undefined) throw fail(`error in add for path: '${path}': value was not a proper array index: '${key}'`);
  const size = container.length + 1;
  if (idx < 0) idx += size;
  if (idx < 0 || idx >= size) throw fail(`error in add for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
  container.splice(idx, 0, value);
}

function setAt(container: Container, key: string, value: unknown, path: string): void {
  if (!Array.isArray(container)) {
    container[key] = value;
    return;
  }
  let idx = arrayIndex(key) ?? Number.NaN;
  if (idx < 0) idx += container.length;
  if (!(idx >= 0 && idx < container.length)) throw fail(`error in remove for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
  container[idx] = value;
}

function removeAt(container: Container, key: string, path: string): void {
  if (!Array.isArray(container)) {
    if (!Object.hasOwn(container, key)) throw fail(`error in remove for path: '${path}': Unable to remove nonexistent key: ${key}: missing value`);
    delete container[key];
    return;
  }
  let idx = arrayIndex(key) ?? Number.NaN;
  if (idx < 0) idx += container.length;
  if (!(idx >= 0 && idx < container.length)) throw fail(`error in remove for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
  container.splice(idx, 1);
}
