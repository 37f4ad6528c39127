/**
 * A sorted set of keys stored as a list of small sorted chunks.
 *
 * Why not one sorted array: inserting into the middle of a 100k-element array moves the whole
 * tail (tens of microseconds per write), which caps creates far below the throughput target.
 * Chunks bound that cost to CHUNK_MAX elements while keeping in-order scans and rank queries
 * (needed for `count` and `remaining`) cheap: a binary search over chunks, then within one.
 *
 * Order is JavaScript string order (UTF-16 code units). etcd orders by bytes; the two agree for
 * the ASCII keys Kubernetes produces.
 */

const CHUNK_MAX = 1024;
const CHUNK_FILL = 512;

export class SortedKeySet {
  #chunks: string[][] = [];
  #size = 0;

  /** Builds from keys that are already sorted and unique (e.g. loaded from disk). */
  static fromSorted(keys: readonly string[]): SortedKeySet {
    const set = new SortedKeySet();
    for (let i = 0; i < keys.length; i += CHUNK_FILL) set.#chunks.push(keys.slice(i, i + CHUNK_FILL));
    set.#size = keys.length;
    return set;
  }

  get size(): number {
    return this.#size;
  }

  /** Adds the key; returns false when it was already present. */
  add(key: string): boolean {
    const chunks = this.#chunks;
    if (chunks.length === 0) {
      chunks.push([key]);
      this.#size = 1;
      return true;
    }
    // Fast path: keys generated in increasing order (typical for bulk creates) append.
    const last = chunks[chunks.length - 1];
    if (key > last[last.length - 1]) {
      last.push(key);
      this.#size++;
      if (last.length > CHUNK_MAX) this.#split(chunks.length - 1);
      return true;
    }
    const ci = this.#chunkFor(key);
    const chunk = chunks[ci];
    const i = lowerBound(chunk, key);
    if (chunk[i] === key) return false;
    chunk.splice(i, 0, key);
    this.#size++;
    if (chunk.length > CHUNK_MAX) this.#split(ci);
    return true;
  }

  /** Removes the key; returns false when it was absent. */
  delete(key: string): boolean {
    if (this.#chunks.length === 0) return false;
    const ci = this.#chunkFor(key);
    if (ci >= this.#chunks.length) return false;
    const chunk = this.#chunks[ci];
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.#size--;
    if (chunk.length === 0) this.#chunks.splice(ci, 1);
    return true;
  }

  /** Number of keys strictly less than `key` (or <= when `inclusive`). */
  rank(key: string, inclusive = false): number {
    const chunks = this.#chunks;
    if (chunks.length === 0) return 0;
    const ci = inclusive ? this.#chunkAfter(key) : this.#chunkFor(key);
    let n = 0;
    for (let c = 0; c < ci; c++) n += chunks[c].length;
    if (ci < chunks.length) n += inclusive ? upperBound(chunks[ci], key) : lowerBound(chunks[ci], key);
    return n;
  }

  /** Number of keys that sort before the end of the block of keys starting with `prefix`. */
  rankPrefixEnd(prefix: string): number {
    // Over sorted keys, "k < prefix || k starts with prefix" is true then false: binary-searchable.
    const inBlockOrBefore = (k: string) => k < prefix || k.startsWith(prefix);
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid];
      if (inBlockOrBefore(chunk[chunk.length - 1])) lo = mid + 1;
      else hi = mid;
    }
    let n = 0;
    for (let c = 0; c < lo; c++) n += chunks[c].length;
    if (lo < chunks.length) {
      const chunk = chunks[lo];
      let a = 0;
      let b = chunk.length;
      while (a < b) {
        const mid = (a + b) >>> 1;
        if (inBlockOrBefore(chunk[mid])) a = mid + 1;
        else b = mid;
      }
      n += a;
    }
    return n;
  }

  /**
   * Visits keys in order, starting at the first key > `after` (>= when `inclusive`), until
   * `visit` returns false. The set must not be modified during the scan.
   */
  scan(after: string, inclusive: boolean, visit: (key: string) => boolean): void {
    const chunks = this.#chunks;
    let ci = inclusive ? this.#chunkFor(after) : this.#chunkAfter(after);
    if (ci >= chunks.length) return;
    let i = inclusive ? lowerBound(chunks[ci], after) : upperBound(chunks[ci], after);
    for (; ci < chunks.length; ci++, i = 0) {
      const chunk = chunks[ci];
      for (; i < chunk.length; i++) if (!visit(chunk[i])) return;
    }
  }

  /** Index of the first chunk whose last key is >= key (chunks.length when none). */
  #chunkFor(key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid];
      if (chunk[chunk.length - 1] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first chunk whose last key is > key (chunks.length when none). */
  #chunkAfter(key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = chunks[mid];
      if (chunk[chunk.length - 1] <= key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #split(ci: number): void {
    const chunk = this.#chunks[ci];
    const tail = chunk.splice(chunk.length >>> 1);
    this.#chunks.splice(ci + 1, 0, tail);
  }
}

function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid] <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
