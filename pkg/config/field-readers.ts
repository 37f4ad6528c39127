import { ConfigError } from './config-error.ts';

/**
 * Typed access to one YAML mapping of kuscia.yaml: every reader names the field in its error, so a
 * wrong type or value becomes `kuscia.yaml: agent.nodeName: must be a string`.
 */
export class FieldReader {
  private readonly file: string;
  private readonly prefix: string;
  private readonly values: Record<string, unknown>;

  constructor(file: string, values: Record<string, unknown>, prefix = '') {
    this.file = file;
    this.values = values;
    this.prefix = prefix;
  }

  /** The dotted name of a field of this mapping, as the error messages print it. */
  path(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}.${key}`;
  }

  fail(key: string, problem: string): ConfigError {
    return new ConfigError(this.file, this.path(key), problem);
  }

  has(key: string): boolean {
    const v = this.values[key];
    return v !== undefined && v !== null;
  }

  /** Strings; YAML numbers are taken as their text (a token or port written unquoted). */
  string(key: string): string | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    throw this.fail(key, `must be a string, not ${describe(v)}`);
  }

  boolean(key: string): boolean | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'boolean') return v;
    throw this.fail(key, `must be true or false, not ${describe(v)}`);
  }

  /** A TCP port 0..65535 (0: pick a free one). */
  port(key: string): number | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535) return v;
    throw this.fail(key, `${JSON.stringify(v)} is not a port number (0-65535)`);
  }

  /** A whole number of seconds, at least `min` (timings such as lease durations). */
  seconds(key: string, min: number): number | undefined {
    const v = this.values[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
    throw this.fail(key, `${JSON.stringify(v)} is not a whole number of seconds >= ${min}`);
  }

  /** One of `choices`, compared case-insensitively (Kuscia accepts `Lite`, `INFO`, ...). */
  choice<T extends string>(key: string, choices: readonly T[]): T | undefined {
    const raw = this.string(key);
    if (raw === undefined || raw === '') return undefined;
    const found = choices.find((c) => c.toLowerCase() === raw.toLowerCase());
    if (found === undefined) throw this.fail(key, `${JSON.stringify(raw)} is not one of ${choices.join(', ')}`);
    return found;
  }

  /** A nested mapping (absent = empty). */
  mapping(key: string): FieldReader {
    const v = this.values[key];
    if (v === undefined || v === null) return new FieldReader(this.file, {}, this.path(key));
    if (typeof v !== 'object' || Array.isArray(v)) throw this.fail(key, `must be a mapping, not ${describe(v)}`);
    return new FieldReader(this.file, v as Record<string, unknown>, this.path(key));
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}
