/**
 * The JSON-value helpers the patchers use, under their names: the implementations are the
 * schema package's (one deep copy and one deep equality for decoded JSON in the whole server).
 */
export { deepCopyJson as cloneJson, deepEqualJson as jsonEqual, isPlainObject as isJsonObject } from '../schema/json-value.ts';

export type JsonObject = Record<string, unknown>;
