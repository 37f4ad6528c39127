import { XdsConfigError } from './config-error.ts';

/**
 * Envoy's virtual host search: exact domain, then the longest suffix wildcard (`*.foo.com`,
 * `*-bar.foo.com`), then the longest prefix wildcard (`foo.*`), then `*`. Hosts and domains compare
 * case-insensitively; a wildcard never matches an empty string.
 */
export class VirtualHostSelector<T> {
  private readonly exact = new Map<string, T>();
  /** `*<suffix>` domains by suffix, and `<prefix>*` by prefix: one lookup per candidate length. */
  private readonly suffixes = new Map<string, T>();
  private readonly prefixes = new Map<string, T>();
  private fallback: T | undefined;

  add(domain: string, value: T, where: string): void {
    const d = domain.toLowerCase();
    const seen = () => new XdsConfigError(where, `only unique values for domains are permitted: duplicate ${domain}`);
    if (d === '*') {
      if (this.fallback !== undefined) throw seen();
      this.fallback = value;
    } else if (d.startsWith('*')) {
      if (this.suffixes.has(d.slice(1))) throw seen();
      this.suffixes.set(d.slice(1), value);
    } else if (d.endsWith('*')) {
      if (this.prefixes.has(d.slice(0, -1))) throw seen();
      this.prefixes.set(d.slice(0, -1), value);
    } else {
      if (d.includes('*')) throw new XdsConfigError(where, `wildcard in the middle of domain ${domain}`);
      if (this.exact.has(d)) throw seen();
      this.exact.set(d, value);
    }
  }

  /**
   * Longest match first by trying the host's own suffixes and prefixes, longest first (a wildcard
   * must match at least one character): cost grows with the host's length, not with the number of
   * virtual hosts (a gateway has one per peer).
   */
  select(host: string): T | undefined {
    const h = host.toLowerCase();
    const exact = this.exact.get(h);
    if (exact !== undefined) return exact;
    if (this.suffixes.size > 0) {
      for (let i = 1; i < h.length; i++) {
        const value = this.suffixes.get(h.slice(i));
        if (value !== undefined) return value;
      }
    }
    if (this.prefixes.size > 0) {
      for (let j = h.length - 1; j > 0; j--) {
        const value = this.prefixes.get(h.slice(0, j));
        if (value !== undefined) return value;
      }
    }
    return this.fallback;
  }
}
