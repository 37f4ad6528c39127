import { readFileSync } from 'node:fs';
import { XdsConfigError } from './config-error.ts';

/**
 * Readers for decoded protobuf values (envoy-protos' `decode`: defaults left out, so an absent key
 * is the proto3 zero value; wrappers such as BoolValue decode to `{}` when they hold their zero).
 */

export type Msg = Record<string, unknown>;

export function asMsg(value: unknown): Msg | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Msg) : undefined;
}

export function asList(value: unknown): Msg[] {
  return Array.isArray(value) ? (value as Msg[]) : [];
}

export function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

export function asString(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

export function asNumber(value: unknown, fallback = 0): number {
  return typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : fallback;
}

/** `google.protobuf.Duration` in milliseconds; undefined when the field is not set. */
export function durationMs(value: unknown): number | undefined {
  const d = asMsg(value);
  if (!d) return undefined;
  return asNumber(d.seconds) * 1000 + Math.floor(asNumber(d.nanos) / 1e6);
}

/** The value of a wrapper (`UInt32Value`, `BoolValue`, ...); undefined when the wrapper is not set. */
export function wrapped(value: unknown): number | boolean | string | undefined {
  const w = asMsg(value);
  if (!w) return undefined;
  if ('value' in w) return w.value as number | boolean | string;
  return 0; // a set wrapper holding the zero value of its type
}

export function wrappedBool(value: unknown, fallback: boolean): boolean {
  const w = wrapped(value);
  return w === undefined ? fallback : Boolean(w);
}

export function wrappedNumber(value: unknown, fallback: number): number {
  const w = wrapped(value);
  return w === undefined ? fallback : Number(w);
}

/** `google.protobuf.Struct` → plain JSON object. */
export function structToJson(value: unknown): Record<string, unknown> {
  const fields = asMsg(asMsg(value)?.fields) ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(fields)) out[key] = valueToJson(v);
  return out;
}

/** `google.protobuf.Value` → JSON. */
export function valueToJson(value: unknown): unknown {
  const v = asMsg(value) ?? {};
  if ('stringValue' in v) return v.stringValue;
  if ('numberValue' in v) return v.numberValue;
  if ('boolValue' in v) return v.boolValue;
  if ('structValue' in v) return structToJson(v.structValue);
  if ('listValue' in v) return asList(asMsg(v.listValue)?.values).map(valueToJson);
  return null; // nullValue, or a Value whose kind is its zero (false / 0 / '' decode to {})
}

/** `envoy.config.core.v3.DataSource` as text (inline string or bytes, a file, an environment variable). */
export function dataSourceText(value: unknown, where: string): string {
  const ds = asMsg(value) ?? {};
  if (typeof ds.inlineString === 'string') return ds.inlineString;
  if (ds.inlineBytes instanceof Uint8Array) return Buffer.from(ds.inlineBytes).toString('utf8');
  if (typeof ds.filename === 'string') {
    try {
      return readFileSync(ds.filename, 'utf8');
    } catch (err) {
      throw new XdsConfigError(where, `cannot read ${ds.filename}: ${(err as Error).message}`);
    }
  }
  if (typeof ds.environmentVariable === 'string') {
    const text = process.env[ds.environmentVariable];
    if (text === undefined) throw new XdsConfigError(where, `environment variable ${ds.environmentVariable} is not set`);
    return text;
  }
  return '';
}

/**
 * The type URL of a decoded `google.protobuf.Any`: `@type` when envoy-protos knows the message
 * (and expanded it), else the raw `typeUrl` of an Any it could not expand.
 */
export function anyType(value: unknown): string {
  const any = asMsg(value) ?? {};
  return asString(any['@type']) || asString(any.typeUrl);
}
