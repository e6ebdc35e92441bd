// Storage reads kept a short while in this server instance. Concurrent callers share one read, a
// failed read is not kept, and an entry ends early when its version moves (for instance the
// tenant's write count, see Store.writesOf).

interface Entry<V> {
  expires: number;
  version: number;
  value: Promise<V>;
  /** The read has answered (so an expired entry can still be given while it is read again). */
  settled?: boolean;
  /** A read that will replace this expired entry is under way. */
  renewing?: boolean;
}

export class Memo<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now, private readonly maxEntries = 2_000) {}

  get(key: string, load: () => Promise<V>, version = 0): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now() && hit.version === version) return hit.value;
    return this.refresh(key, load, version);
  }

  /**
   * As get, but an expired entry that had answered is still given while one read replaces it, so
   * callers never wait for a re-read (a value may then be older than `ttlMs` by that read's time).
   */
  getRenewing(key: string, load: () => Promise<V>, version = 0): Promise<V> {
    const hit = this.entries.get(key);
    if (!hit || hit.version !== version || hit.expires > this.now() || !hit.settled) return this.get(key, load, version);
    if (!hit.renewing) {
      hit.renewing = true;
      const next = load();
      next.then(
        () => this.entries.get(key) === hit && this.keep(key, { expires: this.now() + this.ttlMs, version, value: next, settled: true }),
        () => (hit.renewing = false),
      );
    }
    return hit.value;
  }

  /** Reads again, whatever is kept. */
  refresh(key: string, load: () => Promise<V>, version = 0): Promise<V> {
    const value = load();
    const entry: Entry<V> = { expires: this.now() + this.ttlMs, version, value };
    this.keep(key, entry);
    value.then(() => (entry.settled = true), () => this.entries.get(key) === entry && this.entries.delete(key));
    return value;
  }

  private keep(key: string, entry: Entry<V>): void {
    // Re-inserted, so the map stays oldest first for the size bound.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
