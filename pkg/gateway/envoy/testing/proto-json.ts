import protobuf from 'protobufjs';

/**
 * Envoy reads YAML/JSON configuration as proto3 JSON (snake_case or lowerCamelCase names, durations
 * as "1s", Struct as free JSON, Any with "@type", enums by name) and refuses unknown fields.
 * protobufjs' fromObject silently drops what it does not know, so it cannot tell whether a file
 * is a real Envoy configuration. This walks the schema instead and fails on the first field, enum
 * name or value the message does not have, returning the protobufjs fromObject shape (camelCase,
 * enums by name, Any as `{ '@type', ...fields }`) for an encode/decode round trip.
 */
export class ProtoJsonError extends Error {
  override readonly name = 'ProtoJsonError';
}

type Obj = Record<string, unknown>;

const WRAPPERS = new Set(['DoubleValue', 'FloatValue', 'Int64Value', 'UInt64Value', 'Int32Value', 'UInt32Value', 'BoolValue', 'StringValue'].map((n) => `.google.protobuf.${n}`));
const INTEGER_TYPES = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

export function fromProtoJson(type: protobuf.Type, json: unknown, path = type.name): Obj {
  const special = specialMessage(type, json, path);
  if (special !== undefined) return special;
  const object = plainObject(json, path);
  const out: Obj = {};
  for (const [key, value] of Object.entries(object)) {
    const field = fieldOf(type, key);
    if (!field) throw new ProtoJsonError(`${path}.${key}: ${type.fullName.slice(1)} has no such field`);
    out[field.name] = fieldValue(field, value, `${path}.${key}`);
  }
  for (const oneof of type.oneofsArray) {
    const set = oneof.oneof.filter((name) => name in out);
    if (set.length > 1) throw new ProtoJsonError(`${path}: ${set.join(' and ')} are one of ${oneof.name}; only one may be set`);
  }
  return out;
}

function fieldOf(type: protobuf.Type, key: string): protobuf.Field | undefined {
  const camel = key.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return type.fields[camel] ?? type.fields[key] ?? type.fieldsArray.find((f) => f.options?.json_name === key);
}

function fieldValue(field: protobuf.Field, value: unknown, path: string): unknown {
  field.resolve();
  if (field.map) return Object.fromEntries(Object.entries(plainObject(value, path)).map(([k, v]) => [k, single(field, v, `${path}[${k}]`)]));
  if (field.repeated) {
    if (!Array.isArray(value)) throw new ProtoJsonError(`${path}: expected a list`);
    return value.map((v, i) => single(field, v, `${path}[${i}]`));
  }
  return single(field, value, path);
}

function single(field: protobuf.Field, value: unknown, path: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return fromProtoJson(resolved, value, path);
  if (resolved instanceof protobuf.Enum) return enumName(resolved, value, path);
  return scalar(field.type, value, path);
}

function enumName(type: protobuf.Enum, value: unknown, path: string): string {
  if (typeof value === 'string' && value in type.values) return value;
  if (typeof value === 'number' && type.valuesById[value] !== undefined) return type.valuesById[value];
  throw new ProtoJsonError(`${path}: ${JSON.stringify(value)} is not a value of ${type.fullName.slice(1)} (${Object.keys(type.values).join(', ')})`);
}

function scalar(kind: string, value: unknown, path: string): unknown {
  if (kind === 'string' && typeof value === 'string') return value;
  if (kind === 'bool' && typeof value === 'boolean') return value;
  if ((kind === 'double' || kind === 'float') && typeof value === 'number') return value;
  if (INTEGER_TYPES.has(kind)) {
    const n = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    if (typeof n === 'number' && Number.isInteger(n) && (!kind.startsWith('u') || n >= 0)) return n;
  }
  throw new ProtoJsonError(`${path}: ${JSON.stringify(value)} is not a ${kind}`);
}

/** The well-known types whose JSON form is not their fields. */
function specialMessage(type: protobuf.Type, json: unknown, path: string): Obj | undefined {
  const name = type.fullName;
  if (name === '.google.protobuf.Duration') return duration(json, path);
  if (name === '.google.protobuf.Struct') return { fields: mapValues(plainObject(json, path), path) };
  if (name === '.google.protobuf.Value') return structValue(json, path);
  if (name === '.google.protobuf.ListValue') return listValue(json, path);
  if (WRAPPERS.has(name)) {
    const field = type.fields.value!;
    return { value: single(field, json, path) };
  }
  if (name === '.google.protobuf.Any') {
    const object = plainObject(json, path);
    const url = object['@type'];
    if (typeof url !== 'string') throw new ProtoJsonError(`${path}: an Any needs "@type"`);
    const { '@type': _ignored, ...rest } = object;
    const inner = type.root.lookupType(url.slice(url.lastIndexOf('/') + 1));
    return { '@type': url, ...fromProtoJson(inner, rest, `${path}<${inner.name}>`) };
  }
  if (name.startsWith('.google.protobuf.') && name !== '.google.protobuf.Empty') throw new ProtoJsonError(`${path}: ${name.slice(1)} is not supported by this checker`);
  return undefined;
}

function duration(json: unknown, path: string): Obj {
  const m = typeof json === 'string' ? /^(-?\d+)(?:\.(\d{1,9}))?s$/.exec(json) : null;
  if (!m) throw new ProtoJsonError(`${path}: ${JSON.stringify(json)} is not a duration ("1s", "0.25s")`);
  const seconds = Number(m[1]);
  const nanos = m[2] ? Number(m[2].padEnd(9, '0')) * (json!.toString().startsWith('-') ? -1 : 1) : 0;
  return { ...(seconds !== 0 ? { seconds } : {}), ...(nanos !== 0 ? { nanos } : {}) };
}

function structValue(json: unknown, path: string): Obj {
  if (json === null) return { nullValue: 'NULL_VALUE' };
  if (typeof json === 'number') return { numberValue: json };
  if (typeof json === 'string') return { stringValue: json };
  if (typeof json === 'boolean') return { boolValue: json };
  if (Array.isArray(json)) return { listValue: listValue(json, path) };
  return { structValue: { fields: mapValues(plainObject(json, path), path) } };
}

function listValue(json: unknown, path: string): Obj {
  if (!Array.isArray(json)) throw new ProtoJsonError(`${path}: expected a list`);
  return { values: json.map((v, i) => structValue(v, `${path}[${i}]`)) };
}

function mapValues(object: Obj, path: string): Obj {
  return Object.fromEntries(Object.entries(object).map(([k, v]) => [k, structValue(v, `${path}.${k}`)]));
}

function plainObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ProtoJsonError(`${path}: expected an object, got ${JSON.stringify(value)}`);
  return value as Obj;
}
