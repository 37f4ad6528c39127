/**
 * JSON as Go's encoding/json writes and reads it, which is what Kuscia's handshake uses (its
 * protobuf-generated structs are marshalled with encoding/json, not protojson): snake_case keys
 * from the `json` struct tags, `omitempty`, int64 as plain JSON numbers (nanosecond times exceed
 * 2^53, so they are bigint here), HTML-safe string escaping, keys matched case-insensitively.
 */

/** A JSON value whose integer literals were read exactly (as bigint). */
export type GoJsonValue = null | boolean | number | bigint | string | GoJsonValue[] | { [key: string]: GoJsonValue };
export type GoJsonObject = { [key: string]: GoJsonValue };

/** A body Go's decoder would refuse; the message is what the Go server answers with its 400. */
export class GoJsonDecodeError extends Error {
  override readonly name = 'GoJsonDecodeError';
}

/** A string literal as Go's encoder writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. */
export function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Writes one object: `fields` in struct order; a field whose value is undefined is left out (the
 * caller applies omitempty, because "empty" depends on the Go type).
 */
export function goJsonObject(fields: ReadonlyArray<readonly [key: string, rendered: string | undefined]>): string {
  const parts: string[] = [];
  for (const [key, rendered] of fields) if (rendered !== undefined) parts.push(`${goJsonString(key)}:${rendered}`);
  return `{${parts.join(',')}}`;
}

/** omitempty for strings: undefined when empty. */
export const omitEmptyString = (s: string | undefined): string | undefined => (s ? goJsonString(s) : undefined);
/** omitempty for integers: undefined when zero. */
export const omitZeroInt = (n: number | bigint | undefined): string | undefined => (n === undefined || BigInt(n) === 0n ? undefined : BigInt(n).toString());

/** Parses a body. Integer literals become bigint so int64 values survive. */
export function parseGoJson(text: string): GoJsonValue {
  if (text.trim() === '') throw new GoJsonDecodeError('EOF');
  try {
    return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
      if (typeof value === 'number' && context?.source !== undefined && /^-?\d+$/.test(context.source)) return BigInt(context.source);
      return value;
    }) as GoJsonValue;
  } catch (err) {
    throw new GoJsonDecodeError(err instanceof Error ? err.message : String(err));
  }
}

/** Reads the fields of one Go struct from a decoded object, with Go's type errors. */
export class GoStructReader {
  private readonly obj: GoJsonObject;
  /** `HandShakeRequest.token_config` — how Go names a field in its errors. */
  private readonly path: string;

  constructor(value: GoJsonValue, goType: string, path: string) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || typeof value === 'bigint') {
      throw new GoJsonDecodeError(`json: cannot unmarshal ${jsonKind(value)} into Go value of type ${goType}`);
    }
    this.obj = value;
    this.path = path;
  }

  /** The value of a key, matched as Go does: exactly, else case-insensitively. */
  private field(key: string): GoJsonValue | undefined {
    if (key in this.obj) return this.obj[key];
    const lower = key.toLowerCase();
    const match = Object.keys(this.obj).find((k) => k.toLowerCase() === lower);
    return match === undefined ? undefined : this.obj[match];
  }

  string(key: string): string {
    const v = this.field(key);
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') throw this.typeError(v, key, 'string');
    return v;
  }

  /** An integer field; `bits` picks the Go type (int32, int64) for range checks and messages. */
  int(key: string, bits: 32 | 64): bigint {
    const v = this.field(key);
    if (v === undefined || v === null) return 0n;
    const goType = `int${bits}`;
    if (typeof v === 'number') throw new GoJsonDecodeError(`json: cannot unmarshal number ${v} into Go struct field ${this.path}.${key} of type ${goType}`);
    if (typeof v !== 'bigint') throw this.typeError(v, key, goType);
    const limit = 1n << BigInt(bits - 1);
    if (v < -limit || v >= limit) throw new GoJsonDecodeError(`json: cannot unmarshal number ${v} into Go struct field ${this.path}.${key} of type ${goType}`);
    return v;
  }

  /** A nested struct pointer: undefined when absent or null. */
  struct(key: string, goType: string): GoStructReader | undefined {
    const v = this.field(key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v) || typeof v === 'bigint') throw this.typeError(v, key, goType);
    return new GoStructReader(v, goType, `${this.path}.${key}`);
  }

  private typeError(v: GoJsonValue, key: string, goType: string): GoJsonDecodeError {
    return new GoJsonDecodeError(`json: cannot unmarshal ${jsonKind(v)} into Go struct field ${this.path}.${key} of type ${goType}`);
  }
}

function jsonKind(v: GoJsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint' || typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}
