/**
 * Test-only inverse of decodeKubernetesProtobuf: builds a `k8s\x00` protobuf body from a Kubernetes
 * JSON object the way client-go's gogo marshalling would — in particular every non-pointer field
 * (gogoproto.nullable=false) is written even when empty ("" / 0 / false / empty struct), because
 * that is what makes decoding them interesting.
 */
import type protobuf from 'protobufjs';
import { INLINE_FIELDS, JSON_NAME_OVERRIDES } from './field-rules.ts';
import type { JsonObject, JsonValue } from './json-value.ts';
import { protoMessageNameFor } from './kinds.ts';
import { kubernetesSchemas } from './schema-root.ts';
import { PROTOBUF_MAGIC } from './envelope.ts';
import { fullName } from './to-json.ts';

type Plain = Record<string, unknown>;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';

const jsonBytes = (value: JsonValue) => Buffer.from(JSON.stringify(value));

function timeToProto(value: JsonValue): Plain {
  if (value === null) return {};
  const match = /^(.*?)(?:\.(\d+))?Z$/.exec(String(value));
  if (!match) throw new Error(`not an RFC 3339 UTC time: ${String(value)}`);
  const seconds = Date.parse(`${match[1]}Z`) / 1000;
  const nanos = match[2] ? Number(match[2].padEnd(9, '0')) : 0;
  return { seconds, nanos };
}

/** Inverse of WELL_KNOWN_TYPES for the types the fixtures use. */
const SPECIAL: Record<string, (value: JsonValue, type: protobuf.Type) => Plain> = {
  [`${META}.Time`]: timeToProto,
  [`${META}.MicroTime`]: timeToProto,
  [`${META}.FieldsV1`]: (v) => ({ Raw: jsonBytes(v) }),
  [`${META}.Verbs`]: (v) => ({ items: v }),
  'k8s.io.apimachinery.pkg.runtime.RawExtension': (v) => (v === null ? {} : { raw: jsonBytes(v) }),
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': (v) =>
    typeof v === 'string' ? { type: 1, intVal: 0, strVal: v } : { type: 0, intVal: v, strVal: '' },
  'k8s.io.apimachinery.pkg.api.resource.Quantity': (v) => ({ string: v }),
  [`${APIEXT}.JSON`]: (v) => ({ raw: jsonBytes(v) }),
  [`${APIEXT}.JSONSchemaPropsOrArray`]: (v, type) =>
    Array.isArray(v)
      ? { jSONSchemas: v.map((s) => objectToProto(type.fields.jSONSchemas.resolvedType as protobuf.Type, s as JsonObject)) }
      : { schema: objectToProto(type.fields.schema.resolvedType as protobuf.Type, v as JsonObject) },
  [`${APIEXT}.JSONSchemaPropsOrBool`]: (v, type) =>
    typeof v === 'boolean' ? { allows: v } : { allows: true, schema: objectToProto(type.fields.schema.resolvedType as protobuf.Type, v as JsonObject) },
};

const ZERO: Record<string, unknown> = {
  string: '', bool: false, bytes: Buffer.alloc(0), double: 0, float: 0,
  int32: 0, int64: 0, uint32: 0, uint64: 0, sint32: 0, sint64: 0, fixed32: 0, fixed64: 0, sfixed32: 0, sfixed64: 0,
};

function valueToProto(field: protobuf.Field, value: JsonValue): unknown {
  if (field.resolvedType) return messageToProto(field.resolvedType as protobuf.Type, value);
  if (field.type === 'bytes') return Buffer.from(String(value), 'base64');
  return value;
}

function messageToProto(type: protobuf.Type, value: JsonValue): Plain {
  const special = SPECIAL[fullName(type)];
  if (special) return special(value, type);
  return objectToProto(type, (value ?? {}) as JsonObject);
}

function objectToProto(type: protobuf.Type, json: JsonObject): Plain {
  const out: Plain = {};
  for (const field of type.fieldsArray) {
    const key = `${fullName(type)}.${field.name}`;
    const nonPointer = field.options?.['(gogoproto.nullable)'] === false;
    if (INLINE_FIELDS.has(key)) {
      out[field.name] = objectToProto(field.resolvedType as protobuf.Type, json);
      continue;
    }
    const value = json[JSON_NAME_OVERRIDES.get(key) ?? field.name];
    if (value === undefined) {
      if (!nonPointer || field.repeated || field.map) continue;
      out[field.name] = field.resolvedType ? messageToProto(field.resolvedType as protobuf.Type, null) : ZERO[field.type];
    } else if (field.map) {
      out[field.name] = Object.fromEntries(Object.entries(value as JsonObject).map(([k, v]) => [k, valueToProto(field, v)]));
    } else if (field.repeated) {
      out[field.name] = (value as JsonValue[]).map((v) => valueToProto(field, v));
    } else {
      out[field.name] = valueToProto(field, value);
    }
  }
  return out;
}

/** A Kubernetes protobuf request body for `object` (which must carry apiVersion and kind). */
export function encodeKubernetesProtobuf(object: JsonObject, schemas: protobuf.Root = kubernetesSchemas()): Buffer {
  const { apiVersion, kind, ...rest } = object as JsonObject & { apiVersion: string; kind: string };
  const name = protoMessageNameFor(apiVersion, kind);
  if (!name) throw new Error(`no schema for ${apiVersion} ${kind}`);
  const type = schemas.lookupType(name);
  const raw = type.encode(type.fromObject(objectToProto(type, rest))).finish();
  const unknown = schemas.lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
  const envelope = unknown.encode(unknown.fromObject({ typeMeta: { apiVersion, kind }, raw, contentEncoding: '', contentType: '' })).finish();
  return Buffer.concat([PROTOBUF_MAGIC, envelope]);
}
