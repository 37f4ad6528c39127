import type protobuf from 'protobufjs';
import { INLINE_FIELDS, JSON_NAME_OVERRIDES, KEEP_ZERO_FIELDS } from './field-rules.ts';
import { int64ToNumber, type JsonObject, type JsonValue } from './json-value.ts';
import { WELL_KNOWN_TYPES, type ConversionContext } from './well-known-types.ts';

type Decoded = Record<string, unknown>;

/**
 * Converts a protobufjs-decoded Kubernetes message into the JSON object Go's encoding/json would
 * produce for the same Go struct. Presence comes from the decoded message itself: protobufjs only
 * sets own properties for fields that were on the wire (repeated/map fields start empty).
 */
export function messageToJson(type: protobuf.Type, message: Decoded, ctx: ConversionContext): JsonValue {
  const typeName = fullName(type);
  const wellKnown = WELL_KNOWN_TYPES.get(typeName);
  if (wellKnown) return wellKnown(message, ctx, type);

  const out: JsonObject = {};
  for (const field of type.fieldsArray) {
    const key = `${typeName}.${field.name}`;
    const jsonName = JSON_NAME_OVERRIDES.get(key) ?? field.name;
    const value = message[field.name];
    if (field.map) {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (entries.length === 0) continue;
      const map: JsonObject = {};
      for (const [k, v] of entries) map[k] = valueToJson(field, v, ctx);
      out[jsonName] = map;
    } else if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (items.length === 0) continue;
      out[jsonName] = items.map((item) => valueToJson(field, item, ctx));
    } else {
      if (!Object.hasOwn(message, field.name) || value === null || value === undefined) continue;
      if (field.resolvedType === null && isZero(value) && !isPointer(field) && !KEEP_ZERO_FIELDS.has(key)) continue;
      const converted = valueToJson(field, value, ctx);
      if (INLINE_FIELDS.has(key) && isObject(converted)) Object.assign(out, converted);
      else out[jsonName] = converted;
    }
  }
  return out;
}

function valueToJson(field: protobuf.Field, value: unknown, ctx: ConversionContext): JsonValue {
  const resolved = field.resolvedType;
  if (resolved !== null) {
    if (!('fieldsArray' in resolved)) throw new Error(`enum field ${field.fullName} is not supported`);
    return ctx.convert(resolved as protobuf.Type, value as Decoded);
  }
  switch (field.type) {
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    case 'int64': case 'uint64': case 'sint64': case 'fixed64': case 'sfixed64':
      return int64ToNumber(value);
    case 'double': case 'float':
      return Number.isFinite(value as number) ? (value as number) : null;
    default:
      return value as JsonValue;
  }
}

/** gogoproto.nullable=false marks a non-pointer Go field; everything else is a pointer (or slice/map). */
function isPointer(field: protobuf.Field): boolean {
  return field.options?.['(gogoproto.nullable)'] !== false;
}

function isZero(value: unknown): boolean {
  if (value === '' || value === 0 || value === false) return true;
  if (value instanceof Uint8Array) return value.length === 0;
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    return int64ToNumber(value) === 0;
  }
  return false;
}

function isObject(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function fullName(type: protobuf.ReflectionObject): string {
  return type.fullName.replace(/^\./, '');
}
