// Two short-lived, per-server caches for the tab's API.
//
// SharedCache: what many tab requests share: a programme's record, its participants, its pairs and
// its check-in answers (every ladder of a programme shows its own and its partner's).
// AnswerCache: whole personal answers (a ladder), per caller.
//
// Both are dropped by any write to the tenant's records through this server (the Store counts
// them), so within one instance (the default deployment) nothing served is older than the last
// write, including who may see whose ladder. With several instances, a write made on another one
// shows here after at most `ttlMs` (API_CACHE_SECONDS). A caller that does not find itself in the
// cached participants reads storage directly, so someone who has just joined is never refused.
import { gzipSync } from 'zlib';
import type { Pair, Participant, Programme } from '../domain/types';
import { CheckinFacts, checkinsOfPeople } from '../services/checkins';
import { pairsIn } from '../services/pairs';
import { participantsOf } from '../services/participants';
import { getProgramme } from '../services/programmes';
import type { Services } from '../services/services';
import { Memo } from '../storage/memo';
import type { Store } from '../storage/store';

export const SHARED_TTL_MS = 2_000;
const MAX_ENTRIES = 2_000;
/** Check-in answers are the largest of these (a 100-pair programme's year: 5,000 answers, about 1 MB): fewer programmes kept. */
const MAX_CHECKIN_ENTRIES = 100;

export class SharedCache {
  private readonly reads: Memo<unknown>;
  private readonly answers: Memo<Map<string, CheckinFacts[]>>;

  constructor(private readonly svc: Services, ttlMs = SHARED_TTL_MS, now: () => number = Date.now) {
    this.reads = new Memo(ttlMs, now, MAX_ENTRIES);
    this.answers = new Memo(ttlMs, now, MAX_CHECKIN_ENTRIES);
  }

  programme(tenantId: string, programmeId: string): Promise<Programme | undefined> {
    return this.get(tenantId, `p|${tenantId}|${programmeId}`, () => getProgramme(this.svc, tenantId, programmeId));
  }

  participants(tenantId: string, programmeId: string): Promise<Map<string, Participant>> {
    const scope = { tenantId, id: programmeId };
    return this.get(tenantId, `u|${tenantId}|${programmeId}`, async () => new Map((await participantsOf(this.svc, scope)).map((p) => [p.userId, p])));
  }

  pairs(tenantId: string, programmeId: string): Promise<Pair[]> {
    return this.get(tenantId, `r|${tenantId}|${programmeId}`, () => pairsIn(this.svc, { tenantId, id: programmeId }));
  }

  /** Every check-in answer of the programme by person, in round order (the fields a ladder shows: no blockers). */
  checkins(tenantId: string, programmeId: string): Promise<Map<string, CheckinFacts[]>> {
    const load = async () => {
      const byPerson = new Map<string, CheckinFacts[]>();
      for (const r of await checkinsOfPeople(this.svc, { tenantId, id: programmeId })) {
        const mine = byPerson.get(r.userId);
        if (mine) mine.push(r);
        else byPerson.set(r.userId, [r]);
      }
      return byPerson;
    };
    return this.answers.get(`c|${tenantId}|${programmeId}`, load, this.svc.store.writesOf(tenantId));
  }

  /** Kept until the tenant's next write through this Store, or `ttlMs`. */
  private get<V>(tenantId: string, key: string, load: () => Promise<V>): Promise<V> {
    return this.reads.get(key, load, this.svc.store.writesOf(tenantId)) as Promise<V>;
  }
}

/**
 * A JSON answer, serialised once; compressed once for clients that take gzip (from 8 KB, see
 * routes.ts). Personal answers are computed per caller, so they are compressed fast (level 1: 60%
 * of level 6's time, 8% larger); what is computed once for everyone (the catalogue) is worth 9.
 */
export class CachedBody {
  private gzipped?: Buffer;
  readonly json: Buffer;
  constructor(value: unknown, private readonly level = 1) {
    this.json = Buffer.from(JSON.stringify(value), 'utf8');
  }
  gzip(): Buffer {
    return (this.gzipped ??= gzipSync(this.json, { level: this.level }));
  }
}

interface Answer {
  /** The tenant's write count when the answer was computed: any write since makes it stale. */
  writes: number;
  expires: number;
  body: Promise<CachedBody>;
}

const MAX_BYTES = 32 * 1024 * 1024;

/**
 * Personal answers (a ladder), per caller and question, reused until anything in the caller's
 * tenant is written through this server or `ttlMs` passes. The caller is always authenticated
 * first and is part of the key, so one person never gets another's answer. Within one instance
 * (the default deployment) an answer is never older than the last write; with several
 * instances, a write on another one shows here after at most `ttlMs`. Concurrent identical
 * questions share one computation (a tab reloaded by many people at 9:00).
 */
export class AnswerCache {
  private readonly answers = new Map<string, Answer>();
  private bytes = 0;

  constructor(private readonly store: Pick<Store, 'writesOf'>, private readonly ttlMs: number, private readonly now: () => number = Date.now) {}

  async get(tenantId: string, key: string, compute: () => Promise<unknown>): Promise<CachedBody> {
    if (this.ttlMs <= 0) return new CachedBody(await compute());
    const k = `${tenantId}\n${key}`;
    const writes = this.store.writesOf(tenantId);
    const hit = this.answers.get(k);
    if (hit && hit.writes === writes && hit.expires > this.now()) return hit.body;
    const body = compute().then((v) => new CachedBody(v));
    const answer: Answer = { writes, expires: this.now() + this.ttlMs, body };
    this.drop(k);
    this.answers.set(k, answer);
    body.then(
      (b) => {
        // A write while computing: the answer may predate it, so it is not kept.
        if (this.answers.get(k) !== answer) return;
        if (this.store.writesOf(tenantId) !== writes) this.drop(k);
        else this.account(k, b.json.length);
      },
      () => this.answers.get(k) === answer && this.drop(k),
    );
    return body;
  }

  private readonly sizes = new Map<string, number>();

  private account(k: string, n: number): void {
    this.sizes.set(k, n);
    this.bytes += n;
    // Oldest first (insertion order) until the cache is within its memory budget.
    for (const old of this.answers.keys()) {
      if (this.bytes <= MAX_BYTES) break;
      this.drop(old);
    }
  }

  private drop(k: string): void {
    this.answers.delete(k);
    this.bytes -= this.sizes.get(k) ?? 0;
    this.sizes.delete(k);
  }
}

export const FIGURES_TTL_MS = 10_000;

/**
 * A programme's figures for the channel tab (counts, ladder completion distribution): aggregates
 * over every mentee's ladder, recomputed at most every `ttlMs` whatever is written meanwhile. They
 * hold no personal data and may lag a few seconds; everything personal around them is read fresh.
 */
export class FiguresCache<V> extends Memo<V> {
  constructor(ttlMs = FIGURES_TTL_MS, now: () => number = Date.now) {
    super(ttlMs, now, MAX_ENTRIES);
  }
}
