// Data rights: everything stored about a person (my data), erasing it (forget me), a programme's
// data for admins (export).
import { randomBytes } from 'crypto';
import type {
  Admin, Baseline, CheckinRecord, FeedbackRecord, Pair, Participant, Programme, ProposalRecord, SessionSeries, TutorialProgress, UserContact,
} from '../domain/types';
import { ERASED } from '../domain/outcomes';
import { odata } from '@azure/data-tables';
import { AlreadyExistsError, ConcurrencyError, key, keyPart } from '../storage/repository';
import { feedbackKey, pairId, programmePartition } from '../storage/store';
import { checkinsOfProgramme } from './checkins';
import { nameOf } from './contacts';
import type { Services } from './services';
import { bookedSeriesOwner, forgetSeriesOf, SeriesOwner, seriesOf, seriesOfPerson } from './sessions';

// ---------------------------------------------------------------------------------------------
// My data

type Stored<T> = Omit<T, 'tenantId'>;

export interface PersonalData {
  about: string;
  exportedAt: string;
  tenantId: string;
  userId: string;
  contact: (Omit<Stored<UserContact>, 'conversationRef'> & { conversationRef?: unknown }) | null;
  admin: Stored<Admin> | null;
  programmes: Array<{
    programme: Pick<Programme, 'id' | 'name' | 'status' | 'startDate' | 'endDate'>;
    participant: Stored<Participant> | null;
    pairs: Array<Stored<Pair> & { myRole: 'mentor' | 'mentee'; partnerName: string }>;
    checkins: Array<Stored<CheckinRecord>>;
    feedback: Stored<FeedbackRecord> | null;
    /** The mid-point pulse's answer. */
    pulse: Stored<FeedbackRecord> | null;
    /** Where you started: your self-assessment when first paired, your business ratings as a mentor. */
    baseline: Stored<Baseline> | null;
    /** The pair's sessions in the calendar (times, the meeting's ids and join link). */
    sessions: Array<Stored<SessionSeries>>;
    /** Matching proposals that left you unmatched, with the rule that kept you out. */
    unmatchedIn: Array<{ proposalId: string; createdAt: string; reason: unknown }>;
  }>;
  progress: Array<Stored<TutorialProgress>>;
}

const strip = <T extends { tenantId: string }>(v: T): Stored<T> => {
  const { tenantId: _t, ...rest } = v;
  return rest;
};

/** Check-in records of one person across every round of every programme of the tenant. */
async function checkinsOf(svc: Services, tenantId: string, userId: string): Promise<CheckinRecord[]> {
  // Round partitions start with the tenant's key part and '|'; '}' is the next character after '|'.
  const t = keyPart(tenantId);
  const filter = odata`PartitionKey ge ${`${t}|`} and PartitionKey lt ${`${t}}`} and RowKey eq ${key(userId)}`;
  return (await svc.store.checkins.query(filter)).map((r) => r.value).filter((r) => r.tenantId === tenantId && r.userId === userId);
}

const involves = (userId: string) => odata`mentorId eq ${userId} or menteeId eq ${userId}`;

export async function collectPersonalData(svc: Services, tenantId: string, userId: string): Promise<PersonalData> {
  const store = svc.store;
  const [contact, admin, programmes, progress, checkins] = await Promise.all([
    store.users.get(key(tenantId), key(userId)),
    store.admins.get(key(tenantId), key(userId)),
    store.programmes.list(key(tenantId)),
    store.progress.list(key(tenantId, userId)),
    checkinsOf(svc, tenantId, userId),
  ]);
  const perProgramme = await Promise.all(
    programmes.map(async ({ value: p }) => {
      const pk = programmePartition(tenantId, p.id);
      const [participant, pairs, feedback, pulse, baseline, proposals, sessions] = await Promise.all([
        store.participants.get(pk, key(userId)),
        store.pairs.list(pk, involves(userId)),
        store.feedback.get(pk, feedbackKey(userId, 'end')),
        store.feedback.get(pk, feedbackKey(userId, 'mid')),
        store.baselines.get(pk, key(userId)),
        store.proposals.list(pk),
        seriesOfPerson(svc, p, userId),
      ]);
      const unmatchedIn = proposals
        .map((r) => r.value)
        .flatMap((r) => r.unmatched.filter((u) => u.userId === userId).map((u) => ({ proposalId: r.id, createdAt: r.createdAt, reason: u.reason })));
      const mine = checkins.filter((c) => c.programmeId === p.id);
      if (!participant && !pairs.length && !feedback && !pulse && !baseline && !unmatchedIn.length && !mine.length) return undefined;
      const pairRows = await Promise.all(
        pairs.map(async ({ value: pair }) => {
          const myRole = pair.mentorId === userId ? ('mentor' as const) : ('mentee' as const);
          const partner = myRole === 'mentor' ? pair.menteeId : pair.mentorId;
          const partnerName = await nameOf(svc, tenantId, partner, (await store.participants.get(pk, key(partner)))?.value);
          return { ...strip(pair), myRole, partnerName };
        }),
      );
      return {
        programme: { id: p.id, name: p.name, status: p.status, startDate: p.startDate, endDate: p.endDate },
        participant: participant ? strip(participant.value) : null,
        pairs: pairRows,
        checkins: mine.sort((a, b) => a.round - b.round).map(strip),
        feedback: feedback ? strip(feedback.value) : null,
        pulse: pulse ? strip(pulse.value) : null,
        baseline: baseline ? strip(baseline.value) : null,
        sessions: sessions.map(strip),
        unmatchedIn,
      };
    }),
  );
  let contactOut: PersonalData['contact'] = null;
  if (contact) {
    const c: NonNullable<PersonalData['contact']> = strip(contact.value);
    try {
      if (typeof c.conversationRef === 'string') c.conversationRef = JSON.parse(c.conversationRef);
    } catch {
      /* keep the raw text */
    }
    contactOut = c;
  }
  return {
    about:
      'Everything Reverse Mentor stores about you in your organisation, as JSON. "contact" is how the bot reaches you; ' +
      '"programmes" holds your profile, pairs, check-in answers, feedback, where you started (baseline) and matching results per programme; "progress" is your tutorial ladder. ' +
      'Type "forget me" to the bot to erase it.',
    exportedAt: svc.now().toISOString(),
    tenantId,
    userId,
    contact: contactOut,
    admin: admin ? strip(admin.value) : null,
    programmes: perProgramme.filter((x): x is NonNullable<typeof x> => !!x),
    progress: progress.map((r) => strip(r.value)),
  };
}

// ---------------------------------------------------------------------------------------------
// Forget me

export { ERASED };

export interface EraseResult {
  /**
   * Pairs that were live and are now ended: whom to tell. `sessions`: the pair had a series booked,
   * by the person ('theirs' for the partner) or by the partner ('yours'); the meeting stays in Outlook.
   */
  endedPairs: Array<{ programme: Programme; partnerId: string; partnerName: string; sessions?: SeriesOwner }>;
  /** Booked series the person organised: the meetings stay in their Outlook calendar. */
  organisedSeries: number;
  counts: { programmes: number; checkins: number; progress: number; feedback: number };
  /** A BOT_ADMINS admin stays an admin (the setting re-creates it); only their name is cleared. */
  configuredAdmin: boolean;
}

/**
 * Erases a person from one tenant. Their own rows (contact, profiles, ladder, command-made admin
 * rights) are deleted. Rows that other people's data and the programme's counts depend on (pairs,
 * check-ins, feedback, proposals) are kept under a random id with every free-text field removed,
 * so they stay as anonymous counts. Every step is idempotent: after a failure (storage down) the
 * person runs it again and it completes; the random id is parked on the contact row, deleted last.
 */
export async function erasePerson(svc: Services, tenantId: string, userId: string): Promise<EraseResult> {
  const store = svc.store;
  const now = svc.now().toISOString();
  const tk = key(tenantId);
  const uk = key(userId);

  // 0. The anonymous id, the same on every retry.
  type Parked = UserContact & { erasureId?: string };
  const parked = await store.users.mutate(tk, uk, (cur) => {
    const c = cur as Parked | undefined;
    if (c?.erasureId) return undefined;
    return { ...(c ?? { tenantId, userId, name: '', locale: 'en', updatedAt: now }), erasureId: `${ERASED}-${randomBytes(9).toString('base64url')}` } as Parked;
  });
  const anon = (parked.value as Parked).erasureId!;
  const swap = (id: string | undefined) => (id === userId ? anon : id);
  const scrubBy = (id: string | undefined) => (id === userId ? ERASED : id);

  const result: EraseResult = { endedPairs: [], organisedSeries: 0, counts: { programmes: 0, checkins: 0, progress: 0, feedback: 0 }, configuredAdmin: false };
  const programmes = (await store.programmes.list(tk)).map((r) => r.value);

  for (const programme of programmes) {
    const pk = programmePartition(tenantId, programme.id);

    // 1. Pairs: end the live ones, then re-key every pair of theirs to the anonymous id.
    for (const { value: pair } of await store.pairs.list(pk, involves(userId))) {
      const partnerId = pair.mentorId === userId ? pair.menteeId : pair.mentorId;
      const live = pair.status === 'active' || pair.status === 'paused';
      if (live) {
        const partner = (await store.participants.get(pk, key(partnerId)))?.value;
        const sessions = bookedSeriesOwner((await seriesOf(svc, programme, pair.id))?.value, partnerId);
        if (sessions === 'theirs') result.organisedSeries++;
        result.endedPairs.push({ programme, partnerId, partnerName: await nameOf(svc, tenantId, partnerId, partner), ...(sessions ? { sessions } : {}) });
      }
      const mentorId = swap(pair.mentorId)!;
      const menteeId = swap(pair.menteeId)!;
      const anonymous: Pair = {
        ...pair,
        id: pairId(mentorId, menteeId),
        mentorId,
        menteeId,
        status: pair.status === 'proposed' ? 'proposed' : 'ended',
        endedAt: pair.endedAt ?? now,
        approvedBy: scrubBy(pair.approvedBy),
        override: pair.override ? pair.override.split(userId).join(ERASED) : undefined,
      };
      if (pair.status === 'proposed') {
        await store.pairs.delete(pk, key(pair.id));
        continue;
      }
      // Both sides' check-ins name the pair by its id: repoint them first, so that a retry after
      // a failure still finds the old pair and finishes.
      await repointCheckins(svc, programme, pair.id, anonymous.id);
      // Old and new row share the partition: one all-or-nothing transaction.
      await rewrite(() => store.pairs.transaction([['delete', pair], ['upsert', anonymous]]));
    }
    for (const { value: pair } of await store.pairs.list(pk, odata`approvedBy eq ${userId}`)) {
      await store.pairs.mutate(pk, key(pair.id), (p) => (p && p.approvedBy === userId ? { ...p, approvedBy: ERASED } : undefined));
    }

    // 1b. Their series rows go. The meetings stay in Outlook: cancelling one needs the organiser's
    // own sign-in (delegated access only), so the organiser and the partner are told to do it there.
    await forgetSeriesOf(svc, programme, userId);

    // 2. Their profile goes; others' exclusions, nominations and reporting lines (Entra managers) stop naming them.
    if (await store.participants.delete(pk, uk)) result.counts.programmes++;
    for (const { value: other } of await store.participants.list(pk)) {
      if (!other.excluded.includes(userId) && other.nominatedBy !== userId && !other.directory?.managers.includes(userId)) continue;
      await store.participants.mutate(pk, key(other.userId), (p) =>
        p
          ? {
            ...p, excluded: p.excluded.filter((x) => x !== userId), nominatedBy: scrubBy(p.nominatedBy),
            ...(p.directory ? { directory: { ...p.directory, managers: p.directory.managers.map((m) => swap(m)!) } } : {}),
          }
          : undefined,
      );
    }

    // 3. Proposals: the unmatched list keeps the count and the reason, not the person.
    for (const { value: proposal } of await store.proposals.list(pk)) {
      if (!proposal.unmatched.some((u) => u.userId === userId) && proposal.createdBy !== userId && proposal.approvedBy !== userId) continue;
      await store.proposals.mutate(pk, key(proposal.id), (p): ProposalRecord | undefined =>
        p
          ? { ...p, unmatched: p.unmatched.map((u) => ({ ...u, userId: swap(u.userId)! })), createdBy: scrubBy(p.createdBy)!, approvedBy: scrubBy(p.approvedBy) }
          : undefined,
      );
    }

    // 4. Feedback (the closing survey and the pulse): the scores stay anonymous (the outcome report
    // counts no erased id); their own words and their self-assessment go. Their start goes.
    for (const phase of ['end', 'mid'] as const) {
      const fb = await store.feedback.get(pk, feedbackKey(userId, phase));
      if (!fb) continue;
      const { levels: _l, business: _b, ...kept } = fb.value;
      const anonymous: FeedbackRecord = { ...kept, userId: anon, change: '' };
      await rewrite(() => store.feedback.transaction([['delete', fb.value], ['upsert', anonymous]]));
      result.counts.feedback++;
    }
    await store.baselines.delete(pk, uk);

    if (programme.createdBy === userId) {
      await store.programmes.mutate(tk, key(programme.id), (p) => (p && p.createdBy === userId ? { ...p, createdBy: ERASED } : undefined));
    }
  }

  // 5. Check-in answers: kept as anonymous counts (met, rating, tutorials), without free text.
  for (const record of await checkinsOf(svc, tenantId, userId)) {
    const { learned: _l, blockers: _b, nextSession: _n, conversationId: _c, activityId: _a, ...kept } = record;
    const anonymous: CheckinRecord = { ...kept, userId: anon, pairId: record.pairId.split(keyPart(userId)).join(keyPart(anon)) };
    await rewrite(() => store.checkins.transaction([['delete', record], ['upsert', anonymous]]));
    result.counts.checkins++;
  }

  // 6. The ladder.
  const progress = await store.progress.list(key(tenantId, userId));
  for (let i = 0; i < progress.length; i += 100) {
    await rewrite(() => store.progress.transaction(progress.slice(i, i + 100).map((r) => ['delete', r.value] as ['delete', TutorialProgress])));
  }
  result.counts.progress = progress.length;

  // 7. Admin rights given by command end; configured ones stay (BOT_ADMINS re-creates them).
  const admin = await store.admins.get(tk, uk);
  if (admin?.value.source === 'config') {
    result.configuredAdmin = true;
    if (admin.value.name) await store.admins.mutate(tk, uk, (a) => (a ? { ...a, name: '' } : undefined));
  } else if (admin) await store.admins.delete(tk, uk);
  for (const { value: other } of await store.admins.list(tk, odata`addedBy eq ${userId}`)) {
    await store.admins.mutate(tk, key(other.userId), (a) => (a && a.addedBy === userId ? { ...a, addedBy: ERASED } : undefined));
  }

  // 8. Last: the contact row (and with it the parked anonymous id).
  await store.users.delete(tk, uk);
  return result;
}

/**
 * Runs a delete-and-rewrite transaction; if the old row is already gone or changed, someone (a
 * second press of the same button) did this step at the same moment: nothing left to do.
 */
async function rewrite(op: () => Promise<void>): Promise<void> {
  try {
    await op();
  } catch (err) {
    const status = (err as { statusCode?: number })?.statusCode;
    if (err instanceof ConcurrencyError || err instanceof AlreadyExistsError || status === 404) return;
    throw err;
  }
}

/** Points the check-in records of a pair (both sides, every round) at its new id. */
async function repointCheckins(svc: Services, programme: Programme, oldPairId: string, newPairId: string): Promise<void> {
  for (const value of await checkinsOfProgramme(svc, programme, odata`pairId eq ${oldPairId}`)) {
    await svc.store.checkins.mutate(
      svc.store.checkins.keys(value).partitionKey,
      svc.store.checkins.keys(value).rowKey,
      (r) => (r && r.pairId === oldPairId ? { ...r, pairId: newPairId } : undefined),
    );
  }
}
