// Whole-table snapshots of a Store, to assert that an action changed nothing (or only what it may).
import type { Store } from '../../bot/storage/store';
import type { Repository } from '../../bot/storage/repository';

export type Snapshot = Record<string, Record<string, Record<string, unknown>>>;

function repositories(store: Store): Record<string, Repository<object>> {
  const out: Record<string, Repository<object>> = {};
  for (const [name, value] of Object.entries(store)) {
    if (value && typeof value === 'object' && 'client' in value && 'what' in value) out[name] = value as Repository<object>;
  }
  return out;
}

/**
 * The tenant's send clock (the next free send slot): every proactive message moves it, and it
 * holds nobody's data, so "nothing changed" leaves it out unless a test names it.
 */
const CLOCKS = ['sendSchedule'];

/** Every row of every table, keyed "partitionKey / rowKey", without etag and timestamp. */
export async function snapshot(store: Store, tables?: string[]): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const [name, repo] of Object.entries(repositories(store))) {
    if (tables ? !tables.includes(name) : CLOCKS.includes(name)) continue;
    const rows: Record<string, Record<string, unknown>> = {};
    try {
      for await (const e of repo.client.listEntities<Record<string, unknown>>()) {
        const { etag: _e, timestamp: _t, ...rest } = e as Record<string, unknown>;
        rows[`${e.partitionKey} / ${e.rowKey}`] = rest;
      }
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
    }
    out[name] = rows;
  }
  return out;
}

/** What differs between two snapshots: rows added, removed or changed, per table. */
export function diff(before: Snapshot, after: Snapshot): string[] {
  const changes: string[] = [];
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[table] ?? {};
    const b = after[table] ?? {};
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!(k in a)) changes.push(`${table}: added ${k}`);
      else if (!(k in b)) changes.push(`${table}: removed ${k}`);
      else if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) changes.push(`${table}: changed ${k}`);
    }
  }
  return changes.sort();
}
