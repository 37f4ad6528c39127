import { hash } from 'node:crypto';

/**
 * Verified tokens, keyed by a SHA-256 of the token (the token itself is never kept as a key) and
 * bounded: when full, the oldest entry makes room. Entries past their expiry are dropped on read.
 */
export class VerifiedTokenCache<T extends { expiresAtMs: number }> {
  private readonly entries = new Map<string, T>();
  private readonly maxEntries: number;

  constructor(maxEntries = 4096) {
    this.maxEntries = maxEntries;
  }

  static keyOf(token: string): string {
    // The one-shot hash avoids a Hash object per request.
    return hash('sha256', token, 'base64');
  }

  get(key: string, nowMs: number): T | undefined {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, entry: T): void {
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, entry);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
