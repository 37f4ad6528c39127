import { XdsConfigError } from './config-error.ts';

/**
 * Envoy's virtual host search: exact domain, then the longest suffix wildcard (`*.foo.com`,
 * `*-bar.foo.com`), then the longest prefix wildcard (`foo.*`), then `*`. Hosts and domains compare
 * case-insensitively; a wildcard never matches an empty string.
 */
export class VirtualHostSelector<T> {
  private readonly exact = new Map<string, T>();
  private readonly suffixes: Array<[string, T]> = [];
  private readonly prefixes: Array<[string, T]> = [];
  private fallback: T | undefined;

  add(domain: string, value: T, where: string): void {
    const d = domain.toLowerCase();
    const seen = () => new XdsConfigError(where, `only unique values for domains are permitted: duplicate ${domain}`);
    if (d === '*') {
      if (this.fallback !== undefined) throw seen();
      this.fallback = value;
    } else if (d.startsWith('*')) {
      if (this.suffixes.some(([s]) => s === d.slice(1))) throw seen();
      this.suffixes.push([d.slice(1), value]);
      this.suffixes.sort((a, b) => b[0].length - a[0].length);
    } else if (d.endsWith('*')) {
      if (this.prefixes.some(([p]) => p === d.slice(0, -1))) throw seen();
      this.prefixes.push([d.slice(0, -1), value]);
      this.prefixes.sort((a, b) => b[0].length - a[0].length);
    } else {
      if (d.includes('*')) throw new XdsConfigError(where, `wildcard in the middle of domain ${domain}`);
      if (this.exact.has(d)) throw seen();
      this.exact.set(d, value);
    }
  }

  select(host: string): T | undefined {
    const h = host.toLowerCase();
    const exact = this.exact.get(h);
    if (exact !== undefined) return exact;
    for (const [suffix, value] of this.suffixes) if (h.length > suffix.length && h.endsWith(suffix)) return value;
    for (const [prefix, value] of this.prefixes) if (h.length > prefix.length && h.startsWith(prefix)) return value;
    return this.fallback;
  }
}
