// Storage reads kept a short while in this server instance. Concurrent callers share one read, a
// failed read is not kept, and an entry ends early when its version moves (for instance the
// tenant's write count, see Store.writesOf).

interface Entry<V> {
  expires: number;
  version: number;
  value: Promise<V>;
}

export class Memo<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly ttlMs: number, private readonly now: () => number = Date.now, private readonly maxEntries = 2_000) {}

  get(key: string, load: () => Promise<V>, version = 0): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now() && hit.version === version) return hit.value;
    return this.refresh(key, load, version);
  }

  /** Reads again, whatever is kept. */
  refresh(key: string, load: () => Promise<V>, version = 0): Promise<V> {
    const value = load();
    const entry = { expires: this.now() + this.ttlMs, version, value };
    // Re-inserted, so the map stays oldest first for the size bound.
    this.entries.delete(key);
    this.entries.set(key, entry);
    value.catch(() => this.entries.get(key) === entry && this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }
}
