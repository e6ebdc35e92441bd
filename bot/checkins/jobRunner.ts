// What a worker does with one queue job: read the dispatch record, claim it with a lease (ETag),
// wait for a send slot, send, and record the outcome. The record is the source of truth, so a
// job delivered twice, taken by two instances, or replayed after a crash sends at most once;
// the one exception is a crash while a send was on the wire (see leaseState in the domain).
// The dispatcher (dispatcher.ts) hands it the jobs; it writes the records' dispatch state.
import { odata } from '@azure/data-tables';
import { checkinCard, feedbackCard, reminderCard } from '../cards/checkins';
import type { Card } from '../cards/render';
import { backoffMs, DispatchRecord, Job, jobDone, JobMessage, leaseState, localDate, PULSE_ROUND, SURVEY_ROUND } from '../domain/checkins';
import type { CheckinRound, Programme, UserContact } from '../domain/types';
import { getRound } from '../services/checkins';
import { contactOf, markUnreachable, rememberReference, serviceUrlOf } from '../services/contacts';
import { isLivePair, pairFactsIn, PairFacts } from '../services/pairs';
import { peopleFactsOf, PersonFacts } from '../services/participants';
import { getProgramme } from '../services/programmes';
import type { Services } from '../services/services';
import { Memo } from '../storage/memo';
import { ConcurrencyError, key, StorageUnavailableError, Versioned } from '../storage/repository';
import { roundPartition } from '../storage/store';
import type { Pacer } from './pacer';
import { SendFailed, SendFailure, Sender, Sent } from '../services/sender';

export interface DispatchStats {
  /** Cards, reminders and surveys that reached Teams. */
  sent: number;
  /** 429 answers received. */
  throttled: number;
  /** Send attempts after the first for the same job (429, 5xx, network). */
  retries: number;
  unreachable: number;
  failed: number;
  /** Records found claimed by a worker that vanished: the send's fate is unknown, so it is sent again. */
  inDoubt: number;
  /** Jobs with nothing left to do (already sent, answered, round closed, record gone). */
  skipped: number;
}

export const newStats = (): DispatchStats => ({ sent: 0, throttled: 0, retries: 0, unreachable: 0, failed: 0, inDoubt: 0, skipped: 0 });

export type JobOutcome = { ack: true } | { ack: false; retryInMs: number };

/** Thrown after a kill: the worker stops without writing anything, like a crashed process. */
export class Killed extends Error {}

const MAX_THROTTLED = 10;
const MAX_TRANSIENT = 5;
// A programme's status, its round, its people and pairs, as the cards need them: a change made
// through any instance (a pause, an ended pair, a closed round) counts here within this long.
const CACHE_MS = 15_000;
// The tenant's Bot Connector endpoint changes almost never.
const ENDPOINT_CACHE_MS = 15 * 60_000;

export interface RunnerDeps {
  svc: Services;
  sender: Sender;
  pacer: Pacer;
  leaseMs: number;
  /** Names this worker's leases. */
  instance: string;
  isKilled(): boolean;
  stats: DispatchStats;
  sleep?(ms: number): Promise<void>;
}

/** What was read for a person together with the rest of their queue message. */
export interface Prefetched {
  record?: Versioned<DispatchRecord>;
  contact?: UserContact;
  contactRead: boolean;
}

interface Cohort {
  people: Map<string, PersonFacts>;
  pairs: Map<string, PairFacts>;
}

let leaseSeq = 0;

export class JobRunner {
  // One programme, round and cohort read per round per instance, not per card. Workers asking at
  // the same moment (all of them, at the start of a round) share one read: a cohort is thousands
  // of rows, and parsing them once per worker would stall the sending.
  private readonly programmes = new Memo<Programme | undefined>(CACHE_MS, Date.now, 1000);
  private readonly rounds = new Memo<CheckinRound | undefined>(CACHE_MS, Date.now, 1000);
  private readonly cohorts = new Memo<Cohort>(CACHE_MS, Date.now, 1000);
  private readonly serviceUrls = new Memo<string | undefined>(ENDPOINT_CACHE_MS, Date.now, 1000);

  constructor(private readonly d: RunnerDeps) {}

  private check(): void {
    if (this.d.isKilled()) throw new Killed();
  }

  private sleep(ms: number): Promise<void> {
    return this.d.sleep ? this.d.sleep(ms) : new Promise((r) => setTimeout(r, ms));
  }

  /**
   * The records and contacts of a message's people in one range query each (they were queued in
   * row-key order), instead of two reads per card. A record that changes meanwhile is simply read
   * again (ETag).
   */
  async prefetch(m: JobMessage): Promise<Map<string, Prefetched>> {
    if (m.userIds.length < 2) return new Map();
    const keys = m.userIds.map((u) => key(u)).sort();
    const range = odata`RowKey ge ${keys[0]} and RowKey le ${keys[keys.length - 1]}`;
    const { store } = this.d.svc;
    const [records, contacts] = await Promise.all([
      store.checkins.list(roundPartition(m.tenantId, m.programmeId, m.round), range),
      store.users.list(key(m.tenantId), range),
    ]);
    const recordOf = new Map(records.map((r) => [r.value.userId, r as Versioned<DispatchRecord>]));
    const contactOf = new Map(contacts.map((c) => [c.value.userId, c.value]));
    // Someone without a contact row has none: no need to look again.
    return new Map(m.userIds.map((u) => [u, { record: recordOf.get(u), contact: contactOf.get(u), contactRead: true }]));
  }

  async run(job: Job, prefetched?: Prefetched): Promise<JobOutcome> {
    const kind = job.kind ?? 'card';
    const { store } = this.d.svc;
    const pk = roundPartition(job.tenantId, job.programmeId, job.round);
    const rk = key(job.userId);
    const mine = `${this.d.instance}-${++leaseSeq}`;
    let throttled = 0;
    let transient = 0;
    let first: Versioned<DispatchRecord> | undefined = prefetched?.record;
    for (let lost = 0; lost < 20; ) {
      this.check();
      const cur = first ?? (await store.checkins.get(pk, rk));
      first = undefined;
      this.check();
      if (!cur) return this.skip();
      const rec = cur.value as DispatchRecord;
      if (jobDone(kind, rec)) return this.skip();
      const context = await this.contextOf(job, kind);
      this.check();
      if (!context) return this.skip();
      // A paused pair gets no card or reminder (as the cohort read for the round knows it).
      if (kind !== 'survey' && context.cohort.pairs.get(rec.pairId)?.status === 'paused') return this.skip();
      const state = leaseState(rec, this.d.svc.now(), mine);
      if (state === 'held') return { ack: false, retryInMs: new Date(rec.leaseUntil!).getTime() - this.d.svc.now().getTime() + 1000 };
      if (state === 'expired') this.d.stats.inDoubt++;

      const contact = prefetched?.contactRead ? prefetched.contact : await this.contactOf(job);
      const message = this.messageFor(kind, rec, context, contact);
      const serviceUrl = contact?.conversationRef ? undefined : await this.serviceUrlOf(job.tenantId);
      const conversation = contact?.conversationRef ? (JSON.parse(contact.conversationRef).conversation?.id as string) : `user:${job.userId}`;
      this.check();

      // Claim, then wait for a send slot: the slot is taken right before the send, so the
      // storage write's varying latency cannot bunch sends up past Teams' per-second limit.
      const leaseUntil = new Date(this.d.svc.now().getTime() + this.d.leaseMs).toISOString();
      const claimed: DispatchRecord = { ...rec, leaseId: mine, leaseUntil, attempts: (rec.attempts ?? 0) + 1 };
      let etag: string;
      try {
        etag = await store.checkins.replace(claimed, cur.etag);
      } catch (err) {
        if (err instanceof ConcurrencyError) {
          lost++;
          continue;
        }
        throw err;
      }
      this.check();
      await this.d.pacer.acquire(job.tenantId, conversation);
      this.check();

      let sent: Sent;
      try {
        sent = await this.d.sender.send(job.tenantId, serviceUrl, job.userId, contact, message);
      } catch (err) {
        this.check();
        const failure: SendFailure = err instanceof SendFailed ? err.failure : { kind: 'transient' };
        if (failure.kind === 'throttled') {
          this.d.stats.throttled++;
          const wait = failure.retryAfterMs ?? backoffMs(throttled);
          this.d.pacer.pause(job.tenantId, wait);
          if (++throttled >= MAX_THROTTLED) return this.giveBack(pk, rk, claimed, etag, wait);
          this.d.stats.retries++;
          continue;
        }
        if (failure.kind === 'transient') {
          if (++transient >= MAX_TRANSIENT) return this.giveBack(pk, rk, claimed, etag, backoffMs(transient, 1000, 60_000));
          this.d.stats.retries++;
          await this.sleep(backoffMs(transient - 1, 500, 8000));
          continue;
        }
        await this.finish(pk, rk, claimed, etag, { dispatch: failure.kind === 'unreachable' ? 'unreachable' : 'failed' });
        if (failure.kind === 'unreachable') {
          this.d.stats.unreachable++;
          await markUnreachable(this.d.svc, job.tenantId, job.userId);
        } else this.d.stats.failed++;
        return { ack: true };
      }
      this.check();
      const at = this.d.svc.now().toISOString();
      await this.finish(
        pk, rk, claimed, etag,
        kind === 'reminder' ? { remindedAt: at } : { dispatch: 'sent', sentAt: at, conversationId: sent.conversationId, activityId: sent.activityId },
      );
      this.d.stats.sent++;
      if (sent.newReference) await this.remember(job, sent.newReference);
      return { ack: true };
    }
    return { ack: false, retryInMs: 1000 };
  }

  /** A job that kept coming back (poison): the record says failed, so status shows it. */
  async giveUp(job: Job): Promise<void> {
    const pk = roundPartition(job.tenantId, job.programmeId, job.round);
    await this.d.svc.store.checkins.mutate(pk, key(job.userId), (r) => (r && r.dispatch === 'queued' ? { ...stripLease(r as DispatchRecord), dispatch: 'failed' } : undefined));
    this.d.stats.failed++;
  }

  private skip(): JobOutcome {
    this.d.stats.skipped++;
    return { ack: true };
  }

  /** Records the outcome and drops the lease; re-applied on fresh data if the person answered meanwhile. */
  private async finish(pk: string, rk: string, claimed: DispatchRecord, etag: string, outcome: Partial<DispatchRecord>): Promise<void> {
    const { store } = this.d.svc;
    for (let i = 0; ; i++) {
      try {
        await store.checkins.replace({ ...stripLease(claimed), ...outcome }, etag);
        return;
      } catch (err) {
        if (err instanceof ConcurrencyError) {
          await store.checkins.mutate(pk, rk, (r) => (r ? { ...stripLease(r as DispatchRecord), ...outcome } : undefined));
          return;
        }
        // The card is out: keep trying to write that down, or it would be sent again.
        if (!(err instanceof StorageUnavailableError) || i >= 4) throw err;
        await this.sleep(500 * (i + 1));
        this.check();
      }
    }
  }

  /** Not sent after several tries: drop the lease and let the queue bring the job back later. */
  private async giveBack(pk: string, rk: string, claimed: DispatchRecord, etag: string, retryInMs: number): Promise<JobOutcome> {
    await this.finish(pk, rk, claimed, etag, {});
    return { ack: false, retryInMs };
  }

  private async remember(job: Job, conversationRef: string): Promise<void> {
    await rememberReference(this.d.svc, job.tenantId, job.userId, conversationRef).catch(() => undefined);
  }

  /** The person's contact (conversation reference, locale), when it was not read with the message. */
  private contactOf(job: Job): Promise<UserContact | undefined> {
    return contactOf(this.d.svc, job.tenantId, job.userId);
  }

  private serviceUrlOf(tenantId: string): Promise<string | undefined> {
    return this.serviceUrls.get(tenantId, () => serviceUrlOf(this.d.svc, tenantId));
  }

  /** What the job needs besides the record; undefined when there is nothing to send any more. */
  private async contextOf(job: Job, kind: string): Promise<{ programme: Programme; round?: CheckinRound; cohort: Cohort } | undefined> {
    const { svc } = this.d;
    const pid = `${job.tenantId}|${job.programmeId}`;
    const survey = kind === 'survey' || job.round === SURVEY_ROUND;
    // The pulse goes out while the programme runs and needs no round.
    const pulse = kind === 'pulse' || job.round === PULSE_ROUND;
    const wanted = survey ? 'closing' : 'running';
    const scope = { tenantId: job.tenantId, id: job.programmeId };
    const load = () => getProgramme(svc, job.tenantId, job.programmeId);
    let programme = await this.programmes.get(pid, load);
    // The cache may predate a status change (a programme just closed): look again before skipping.
    if (programme?.status !== wanted) programme = await this.programmes.refresh(pid, load);
    if (programme?.status !== wanted) return undefined;
    let round: CheckinRound | undefined;
    if (!survey && !pulse) {
      const rk = `${pid}|${job.round}`;
      const loadRound = () => getRound(svc, scope, job.round);
      round = await this.rounds.get(rk, loadRound);
      if (!round) round = await this.rounds.refresh(rk, loadRound);
      // A card for a round that closed meanwhile would only confuse: nothing to send.
      if (!round || round.status !== 'open' || new Date(round.closesAt) <= svc.now()) return undefined;
    }
    // Renewed behind the sending: re-reading thousands of rows must not stop every worker at once.
    const cohort = await this.cohorts.getRenewing(pid, async () => {
      const [people, pairs] = await Promise.all([peopleFactsOf(svc, scope), pairFactsIn(svc, scope)]);
      return { people: new Map(people.map((p) => [p.userId, p])), pairs: new Map(pairs.filter(isLivePair).map((p) => [p.id, p])) };
    });
    return { programme, round, cohort };
  }

  private messageFor(kind: string, rec: DispatchRecord, c: { programme: Programme; round?: CheckinRound; cohort: Cohort }, contact: UserContact | undefined): Card {
    const locale = contact?.locale ?? 'en';
    if (kind === 'survey') return feedbackCard(locale, c.programme, rec.userId, rec.role, 'end');
    if (kind === 'pulse') return feedbackCard(locale, c.programme, rec.userId, rec.role, 'mid');
    if (kind === 'reminder') return reminderCard(locale, c.programme, rec.round, c.round!.closesAt);
    const pair = c.cohort.pairs.get(rec.pairId);
    const partnerId = pair ? (rec.role === 'mentor' ? pair.menteeId : pair.mentorId) : undefined;
    const tz = c.cohort.people.get(rec.userId)?.timeZone || c.programme.timeZone;
    let today: string;
    try {
      today = localDate(this.d.svc.now(), tz);
    } catch {
      today = localDate(this.d.svc.now(), c.programme.timeZone);
    }
    return checkinCard(locale, {
      programme: c.programme,
      record: rec,
      closesAt: c.round!.closesAt,
      partnerName: partnerId ? c.cohort.people.get(partnerId)?.name : undefined,
      today,
      timeZone: tz,
    });
  }
}

function stripLease(r: DispatchRecord): DispatchRecord {
  const { leaseId: _l, leaseUntil: _u, ...rest } = r;
  return rest;
}
