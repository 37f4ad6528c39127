import type protobuf from 'protobufjs';
import { formatGoDuration, formatTime } from './go-time.ts';
import { int64ToNumber, type JsonValue } from './json-value.ts';

type Decoded = Record<string, unknown>;

export interface ConversionContext {
  /** Decodes a nested `k8s\x00` body (a RawExtension holding a protobuf-encoded object). */
  decodeNested(body: Uint8Array): JsonValue;
  /** Converts a nested message with the generic rules (messageToJson, injected to avoid an import cycle). */
  convert(type: protobuf.Type, message: Decoded): JsonValue;
}

type Converter = (message: Decoded, ctx: ConversionContext, type: protobuf.Type) => JsonValue;

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';
const APIEXT = 'k8s.io.apiextensions_apiserver.pkg.apis.apiextensions.v1';
const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

const has = (message: Decoded, field: string) => Object.hasOwn(message, field) && message[field] !== null;

/**
 * A zero Go time.Time marshals to an empty protobuf message and to JSON `null`
 * (`"creationTimestamp": null` in every object kubectl builds).
 */
const time = (precision: 'seconds' | 'micros'): Converter => (m) =>
  has(m, 'seconds') || has(m, 'nanos') ? formatTime(m.seconds, m.nanos, precision) : null;

/** Raw JSON carried as bytes (RawExtension, FieldsV1, apiextensions JSON). */
function rawJson(raw: unknown, ctx: ConversionContext): JsonValue {
  if (!(raw instanceof Uint8Array) || raw.length === 0) return null;
  const bytes = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
  if (bytes.subarray(0, 4).equals(PROTOBUF_MAGIC)) return ctx.decodeNested(bytes);
  return JSON.parse(bytes.toString('utf8')) as JsonValue;
}

/** Sub-message of a decoded message, converted with the generic rules. */
function sub(type: protobuf.Type, message: Decoded, field: string, ctx: ConversionContext): JsonValue {
  return ctx.convert(type.fields[field].resolvedType as protobuf.Type, message[field] as Decoded);
}

const stringItems: Converter = (m) => [...((m.items ?? []) as string[])];

export const WELL_KNOWN_TYPES: ReadonlyMap<string, Converter> = new Map<string, Converter>([
  [`${META}.Time`, time('seconds')],
  [`${META}.MicroTime`, time('micros')],
  [`${META}.Duration`, (m) => formatGoDuration(m.duration)],
  [`${META}.FieldsV1`, (m, ctx) => rawJson(m.Raw, ctx)],
  [`${META}.Verbs`, stringItems],
  ['k8s.io.api.authentication.v1.ExtraValue', stringItems],
  ['k8s.io.api.authorization.v1.ExtraValue', stringItems],
  ['k8s.io.apimachinery.pkg.runtime.RawExtension', (m, ctx) => rawJson(m.raw, ctx)],
  // intstr.Type: 0 = Int, 1 = String.
  ['k8s.io.apimachinery.pkg.util.intstr.IntOrString', (m) =>
    int64ToNumber(m.type ?? 0) === 1 ? String(m.strVal ?? '') : Number(m.intVal ?? 0)],
  // The zero Quantity marshals as "0".
  ['k8s.io.apimachinery.pkg.api.resource.Quantity', (m) => (typeof m.string === 'string' && m.string !== '' ? m.string : '0')],
  [`${APIEXT}.JSON`, (m, ctx) => rawJson(m.raw, ctx)],
  // Custom MarshalJSON of the apiextensions union types.
  [`${APIEXT}.JSONSchemaPropsOrArray`, (m, ctx, type) => {
    const schemas = (m.jSONSchemas ?? []) as Decoded[];
    if (schemas.length > 0) {
      const itemType = type.fields.jSONSchemas.resolvedType as protobuf.Type;
      return schemas.map((s) => ctx.convert(itemType, s));
    }
    return has(m, 'schema') ? sub(type, m, 'schema', ctx) : null;
  }],
  [`${APIEXT}.JSONSchemaPropsOrBool`, (m, ctx, type) => {
    if (has(m, 'schema')) return sub(type, m, 'schema', ctx);
    return m.allows === true;
  }],
  [`${APIEXT}.JSONSchemaPropsOrStringArray`, (m, ctx, type) => {
    const property = (m.property ?? []) as string[];
    if (property.length > 0) return [...property];
    return has(m, 'schema') ? sub(type, m, 'schema', ctx) : null;
  }],
]);
