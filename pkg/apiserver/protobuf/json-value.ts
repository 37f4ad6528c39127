export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** protobufjs hands int64 fields back as `Long` objects when the `long` package is installed. */
export interface LongLike {
  toNumber(): number;
}

export function int64ToNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && typeof (value as LongLike).toNumber === 'function') {
    return (value as LongLike).toNumber();
  }
  return Number(value);
}
