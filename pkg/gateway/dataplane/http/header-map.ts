import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Request or response headers as Envoy sees them: lower-case names, several values per name kept
 * apart, and the HTTP/2 pseudo-headers (`:method`, `:path`, `:authority`, `:scheme`, `:status`)
 * for both protocols — an HTTP/1 `Host` is `:authority`, as in Envoy, so matchers and `%REQ()%`
 * behave the same whatever protocol the request came in.
 */
export class HeaderMap {
  private readonly entries = new Map<string, string[]>();

  static fromRaw(rawHeaders: readonly string[]): HeaderMap {
    const map = new HeaderMap();
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) map.append(rawHeaders[i], rawHeaders[i + 1]);
    return map;
  }

  /** From Node's parsed headers (HTTP/2 streams, HTTP/2 client responses). */
  static fromObject(headers: IncomingHttpHeaders | Record<string, string | string[] | number | undefined>): HeaderMap {
    const map = new HeaderMap();
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) map.append(name, v);
      else map.append(name, String(value));
    }
    return map;
  }

  /** All values of a header joined by ',' (Envoy's getAllOfHeaderAsString); undefined when absent. */
  get(name: string): string | undefined {
    const values = this.entries.get(name.toLowerCase());
    return values && values.length > 0 ? values.join(',') : undefined;
  }

  getAll(name: string): readonly string[] {
    return this.entries.get(name.toLowerCase()) ?? [];
  }

  has(name: string): boolean {
    return this.entries.has(name.toLowerCase());
  }

  set(name: string, value: string): void {
    this.entries.set(name.toLowerCase(), [value]);
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    const values = this.entries.get(key);
    if (values) values.push(value);
    else this.entries.set(key, [value]);
  }

  delete(name: string): void {
    this.entries.delete(name.toLowerCase());
  }

  names(): IterableIterator<string> {
    return this.entries.keys();
  }

  clone(): HeaderMap {
    const copy = new HeaderMap();
    for (const [name, values] of this.entries) copy.entries.set(name, [...values]);
    return copy;
  }

  /** Node's outgoing shape; pseudo-headers left out unless `withPseudo`. */
  toObject(withPseudo: boolean): OutgoingHttpHeaders {
    const out: OutgoingHttpHeaders = {};
    for (const [name, values] of this.entries) {
      if (!withPseudo && name.startsWith(':')) continue;
      out[name] = values.length === 1 ? values[0] : [...values];
    }
    return out;
  }
}
