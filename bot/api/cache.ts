// A short-lived, per-server cache of what many tab requests share: a programme's record, its
// participants and its pairs. Each ladder request then reads only what is personal (progress,
// check-ins) from storage. Those shared records change rarely (programme edits, enrolment, pair
// approval) and changes show up here after at most `ttlMs`; anything personal or deciding access
// to someone else's data (a mentor's pair) is never taken from here. A caller that does not find
// itself in the cached participants reads storage directly, so someone who has just joined is not
// refused for a few seconds.
import type { Pair, Participant, Programme } from '../domain/types';
import type { Store } from '../storage/store';
import { getProgramme, listPairs, listParticipants } from '../services/tabViews';

interface Entry<V> {
  expires: number;
  value: Promise<V>;
}

export const SHARED_TTL_MS = 5_000;
const MAX_ENTRIES = 2_000;

export class SharedCache {
  private readonly entries = new Map<string, Entry<unknown>>();

  constructor(private readonly store: Store, private readonly ttlMs = SHARED_TTL_MS, private readonly now: () => number = Date.now) {}

  programme(tenantId: string, programmeId: string): Promise<Programme | undefined> {
    return this.get(`p|${tenantId}|${programmeId}`, () => getProgramme(this.store, tenantId, programmeId));
  }

  participants(tenantId: string, programmeId: string): Promise<Map<string, Participant>> {
    return this.get(`u|${tenantId}|${programmeId}`, async () => new Map((await listParticipants(this.store, tenantId, programmeId)).map((p) => [p.userId, p])));
  }

  pairs(tenantId: string, programmeId: string): Promise<Pair[]> {
    return this.get(`r|${tenantId}|${programmeId}`, () => listPairs(this.store, tenantId, programmeId));
  }

  /** Drops everything cached about a programme (after a write through this server). */
  forget(tenantId: string, programmeId: string): void {
    for (const k of ['p', 'u', 'r']) this.entries.delete(`${k}|${tenantId}|${programmeId}`);
  }

  /** Concurrent callers share one storage read; a failed read is not kept. */
  private get<V>(key: string, load: () => Promise<V>): Promise<V> {
    const now = this.now();
    const hit = this.entries.get(key) as Entry<V> | undefined;
    if (hit && hit.expires > now) return hit.value;
    const value = load();
    this.entries.delete(key);
    this.entries.set(key, { expires: now + this.ttlMs, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > MAX_ENTRIES) {
      // Oldest first (insertion order): drop expired ones, else the oldest.
      for (const [k, e] of this.entries) {
        if (this.entries.size <= MAX_ENTRIES) break;
        if (e.expires <= now || this.entries.size > MAX_ENTRIES) this.entries.delete(k);
      }
    }
    return value;
  }
}
