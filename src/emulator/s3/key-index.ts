// A bucket's keys in S3's order (UTF-8 bytes), kept in memory so that a listing page costs what the page holds,
// not what the bucket holds: a page starts with a binary search and skips a whole common prefix with another.
// Each key may carry what a listing shows of its object (size, ETag, date), so a page reads no files once known.
// The store keeps one per bucket, adds and removes keys as objects are written and deleted, and rebuilds them
// from the files at start.

/** UTF-8 byte order on JS strings without encoding them: code units remapped so surrogates sort above U+FFFF's peers. */
export function byteOrder(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return rank(x) - rank(y);
  }
  return a.length - b.length;
}
const rank = (unit: number) => (unit >= 0xe000 ? unit - 0x800 : unit >= 0xd800 ? unit + 0x2000 : unit);

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Entries (keys and common prefixes) at or before it are not listed: a marker, start-after or a page's last entry. */
  startAfter?: string;
  maxKeys: number;
}

export interface ListPage {
  keys: string[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix of the page, in order: where the next page starts after. */
  last?: string;
  /**
   * Index entries looked at to make the page, what the page cost: at most maxKeys + 2 (the page, the entry that
   * shows it is truncated, and the one common prefix that can hold startAfter, skipped whole).
   */
  examined: number;
}

export class KeyIndex<V = unknown> {
  private readonly keys: string[];
  /** What is known of each key's object; undefined until written or first read. */
  private readonly values = new Map<string, V | undefined>();

  constructor(keys: Iterable<string> = []) {
    this.keys = [...keys].sort(byteOrder);
    for (const key of this.keys) this.values.set(key, undefined);
  }

  /** Adds or replaces a key with what is known of its object. */
  set(key: string, value: V): void {
    const i = this.lowerBound(key);
    if (this.keys[i] !== key) this.keys.splice(i, 0, key);
    this.values.set(key, value);
  }

  /** Records a key's value read from its file, unless the key went away or was written since the read began. */
  fill(key: string, value: V): void {
    if (this.values.has(key) && this.values.get(key) === undefined) this.values.set(key, value);
  }

  get(key: string): V | undefined {
    return this.values.get(key);
  }

  delete(key: string): void {
    const i = this.lowerBound(key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
    this.values.delete(key);
  }

  /**
   * One page of a listing, as S3 makes it: keys under the prefix after startAfter, those with the delimiter after
   * the prefix rolled up into common prefixes, keys and common prefixes together counting towards maxKeys.
   */
  list({ prefix = '', delimiter = '', startAfter = '', maxKeys }: ListOptions): ListPage {
    const page: ListPage = { keys: [], commonPrefixes: [], isTruncated: false, examined: 0 };
    let i = Math.max(this.lowerBound(prefix), startAfter ? this.upperBound(startAfter) : 0);
    while (i < this.keys.length) {
      const key = this.keys[i];
      page.examined++;
      if (!key.startsWith(prefix)) break;
      const cut = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
      const entry = cut === -1 ? key : key.slice(0, cut + delimiter.length);
      if (cut !== -1 && startAfter && byteOrder(entry, startAfter) <= 0) {
        // The rest of this common prefix was listed already (the marker is it or lies inside it).
        i = this.endOfPrefix(entry, i);
        continue;
      }
      if (page.keys.length + page.commonPrefixes.length >= maxKeys) {
        page.isTruncated = true;
        break;
      }
      page.last = entry;
      if (cut === -1) {
        page.keys.push(key);
        i++;
      } else {
        page.commonPrefixes.push(entry);
        i = this.endOfPrefix(entry, i);
      }
    }
    return page;
  }

  /** First position whose key is >= key. */
  private lowerBound(key: string): number {
    return this.search((k) => byteOrder(k, key) < 0);
  }

  /** First position whose key is > key. */
  private upperBound(key: string): number {
    return this.search((k) => byteOrder(k, key) <= 0);
  }

  /** First position from `from` whose key does not start with prefix (keys starting with it are contiguous). */
  private endOfPrefix(prefix: string, from: number): number {
    return this.search((k) => byteOrder(k, prefix) < 0 || k.startsWith(prefix), from);
  }

  /** First position where `before` turns false (it must be true, then false, along the keys). */
  private search(before: (key: string) => boolean, lo = 0): number {
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.keys[mid])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
