// Check-in use cases over storage and the job queue: open a round (once), close rounds and flag
// pairs at risk, queue reminders and the closing survey, take answers (once), gather health.
// Sending itself is the dispatcher's job (bot/checkins/dispatcher.ts, jobRunner.ts).
import { odata } from '@azure/data-tables';
import { atRiskNotice } from '../cards/checkins';
import {
  Asked, atRisk, CheckinAnswer, FeedbackAnswer, Job, JobMessage, jobMessages, localDate, missedRound, needsReminder, nextRoundNumber, peopleToAsk, Problem,
  PULSE_ROUND, reminderDue, roundClosesAt, roundDue, slotAfter, SurveyScope, SURVEY_ROUND, validateCheckin, validateFeedback,
} from '../domain/checkins';
import { businessIds } from '../domain/business';
import { isErased, phaseOf } from '../domain/outcomes';
import { Health, programmeHealth } from '../domain/health';
import { tutorialIds } from '../domain/ladder';
import type { CheckinRecord, CheckinRound, FeedbackRecord, Pair, Programme, Role, SurveyPhase } from '../domain/types';
import { AlreadyExistsError, key, Versioned } from '../storage/repository';
import { feedbackKey, programmePartition, roundKey, roundPartition } from '../storage/store';
import { recordBaselines } from './baselines';
import { tellAdmins } from './admins';
import { nameOf, unreachableIn } from './contacts';
import { isLivePair, pairById, pairsIn, setAtRisk } from './pairs';
import { participantIn, participantsOf } from './participants';
import { markPulseQueued, markTextErased, transition } from './programmes';
import { markDone, progressOf } from './progress';
import type { Services } from './services';
import { weekFactsOf, WeekFacts } from './sessions';

// ---------------------------------------------------------------------------------------------
// Reads

export async function roundsOf(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>): Promise<Array<Versioned<CheckinRound>>> {
  return (await svc.store.rounds.list(programmePartition(p.tenantId, p.id))).sort((a, b) => a.value.round - b.value.round);
}

export async function getRound(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, round: number): Promise<CheckinRound | undefined> {
  return (await svc.store.rounds.get(programmePartition(p.tenantId, p.id), roundKey(round)))?.value;
}

export async function recordsOf(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, round: number): Promise<CheckinRecord[]> {
  return (await svc.store.checkins.list(roundPartition(p.tenantId, p.id, round))).map((r) => r.value);
}

/** Every round partition of a programme: `<programme partition>|<zero-padded round>`, and digits sort below '~'. */
function everyRound(p: Pick<Programme, 'tenantId' | 'id'>): string {
  const prefix = programmePartition(p.tenantId, p.id) + '|';
  return odata`PartitionKey ge ${prefix} and PartitionKey lt ${prefix + '~'}`;
}

/** Check-in records of every round of a programme (one range scan over the round partitions), optionally narrowed. */
export async function checkinsOfProgramme(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, filter?: string): Promise<CheckinRecord[]> {
  const rows = await svc.store.checkins.query(filter ? `${everyRound(p)} and (${filter})` : everyRound(p));
  return rows.map((r) => r.value).sort((a, b) => a.round - b.round);
}

/** What a ladder shows of a check-in: the answer, not how it was delivered. */
export const CHECKIN_FACTS = ['round', 'userId', 'pairId', 'answeredAt', 'met', 'tutorials', 'learned', 'rating', 'nextSession'] as const;
export type CheckinFacts = Pick<CheckinRecord, (typeof CHECKIN_FACTS)[number]>;

/**
 * The answers in every round of a programme (one range scan, only the fields a ladder shows),
 * of these people or of everyone.
 */
export async function checkinsOfPeople(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, userIds?: string[]): Promise<CheckinFacts[]> {
  const people = userIds?.map((u) => odata`RowKey eq ${key(u)}`).join(' or ');
  const rows = await svc.store.checkins.project(people ? `${everyRound(p)} and (${people})` : everyRound(p), CHECKIN_FACTS);
  return rows.sort((a, b) => a.round - b.round);
}

export const isOpen = (r: Pick<CheckinRound, 'status' | 'closesAt'>, now: Date) => r.status === 'open' && new Date(r.closesAt) > now;

const activePairs = (svc: Services, p: Pick<Programme, 'tenantId' | 'id'>): Promise<Pair[]> => pairsIn(svc, p, ['active']);

// ---------------------------------------------------------------------------------------------
// Opening rounds

export type OpenResult =
  | { kind: 'opened'; round: CheckinRound }
  | { kind: 'alreadyOpen'; round: CheckinRound }
  | { kind: 'noPairs' };

/** Queue messages for these records (all of one round), a few people per message. */
function jobsFor(svc: Services, records: Array<Pick<CheckinRecord, 'tenantId' | 'programmeId' | 'round' | 'userId'>>, kind?: Job['kind']): JobMessage[] {
  if (!records.length) return [];
  const [r] = records;
  const base = { tenantId: r.tenantId, programmeId: r.programmeId, round: r.round, ...(kind && kind !== 'card' ? { kind } : {}) };
  // In row-key order, so a worker reads a message's records with one range query.
  const ids = records.map((x) => x.userId).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return jobMessages(base, ids, svc.config.dispatcherConcurrency);
}

/** A planned message becomes visible this long before its first card's turn, so a worker has it in hand by then. */
const VISIBLE_AHEAD_MS = 3000;

/**
 * Queues messages planned at the tenant's send rate, after those already queued (any programme,
 * any instance): each becomes visible shortly before its cards' turn. The queue hands out visible
 * messages oldest-visible first, so a message a crashed instance held, visible again after the
 * lease, is taken next instead of after the rest of a large round.
 */
async function queueJobs(svc: Services, messages: JobMessage[]): Promise<void> {
  if (!messages.length) return;
  const cards = messages.reduce((n, m) => n + m.userIds.length, 0);
  const start = await svc.budget.plan(messages[0].tenantId, cards);
  const now = Date.now();
  let before = 0;
  const visibleIn = messages.map((m) => {
    const at = start + before * svc.budget.intervalMs - VISIBLE_AHEAD_MS;
    before += m.userIds.length;
    return (at - now) / 1000;
  });
  await svc.queue.enqueue(messages, visibleIn);
}

/** Creates the dispatch records that do not exist yet (batches of 100; a batch that partly exists falls back to one by one). */
async function writeRecords(svc: Services, records: CheckinRecord[]): Promise<void> {
  const batches: CheckinRecord[][] = [];
  for (let i = 0; i < records.length; i += 100) batches.push(records.slice(i, i + 100));
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next++];
      try {
        await svc.store.checkins.transaction(batch.map((r) => ['create', r]));
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
        for (const r of batch) await svc.store.checkins.create(r).catch((e) => (e instanceof AlreadyExistsError ? undefined : Promise.reject(e)));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, batches.length) }, worker));
}

const recordOf = (p: Pick<Programme, 'tenantId' | 'id'>, round: number, a: Asked, calendar?: Map<string, WeekFacts>): CheckinRecord => {
  const c = calendar?.get(a.pairId);
  const state = c?.state === 'declined' && c.declinedBy === a.userId ? 'youDeclined' : c?.state;
  return {
    tenantId: p.tenantId, programmeId: p.id, round, userId: a.userId, pairId: a.pairId, role: a.role, dispatch: 'queued', attempts: 0,
    ...(c?.met ? { calendarMet: c.met } : {}), ...(state ? { calendarState: state } : {}), ...(c?.at ? { calendarAt: c.at } : {}), ...(c?.next ? { calendarNext: c.next } : {}),
  };
};

/**
 * Writes the round's dispatch records and enqueues a job for every one still queued, then marks
 * the round enqueued. Safe to repeat after a crash: records are created once, and a job queued
 * twice is harmless (the dispatch record says it was sent).
 */
export async function dispatchRound(svc: Services, p: Programme, round: CheckinRound, asked?: Asked[]): Promise<void> {
  const people = asked ?? peopleToAsk(await activePairs(svc, p));
  // What each pair's calendar says of the week: the card's "did you meet" and next session.
  const calendar = await weekFactsOf(svc, p, round);
  await writeRecords(svc, people.map((a) => recordOf(p, round.round, a, calendar)));
  // A fresh round's records were all just created as queued; a resumed one is read back.
  const queued = asked ? people.map((a) => recordOf(p, round.round, a, calendar)) : (await recordsOf(svc, p, round.round)).filter((r) => r.dispatch === 'queued');
  await queueJobs(svc, jobsFor(svc, queued));
  await svc.store.rounds.mutate(programmePartition(p.tenantId, p.id), roundKey(round.round), (r) => (r && !r.enqueued ? { ...r, enqueued: true } : undefined));
}

/** Opens round `number` unless it exists (then another instance or a second press did it). */
async function createRound(svc: Services, p: Programme, number: number): Promise<OpenResult> {
  const asked = peopleToAsk(await activePairs(svc, p));
  if (!asked.length) return { kind: 'noPairs' };
  const now = svc.now();
  const round: CheckinRound = {
    tenantId: p.tenantId, programmeId: p.id, round: number, openedAt: now.toISOString(), closesAt: roundClosesAt(p, now).toISOString(),
    status: 'open', expected: asked.length, enqueued: false,
  };
  try {
    await svc.store.rounds.create(round);
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    return { kind: 'alreadyOpen', round: (await getRound(svc, p, number)) ?? round };
  }
  await dispatchRound(svc, p, round, asked);
  return { kind: 'opened', round: { ...round, enqueued: true } };
}

/** `checkins send`: a round now, unless one is open (then it is resumed if its jobs were never queued). */
export async function startRoundNow(svc: Services, p: Programme): Promise<OpenResult> {
  await closeExpiredRounds(svc, p);
  const rounds = await roundsOf(svc, p);
  const open = rounds.map((r) => r.value).find((r) => isOpen(r, svc.now()));
  if (open) {
    if (!open.enqueued) await dispatchRound(svc, p, open);
    return { kind: 'alreadyOpen', round: open };
  }
  return createRound(svc, p, nextRoundNumber(rounds.map((r) => r.value)));
}

/** How long a round may sit un-enqueued before another instance assumes its opener crashed. */
const RESUME_AFTER_MS = 60_000;

/** The scheduler's round work for one programme: close, open when due, resume a crashed opening, remind. */
export async function tendRounds(svc: Services, p: Programme): Promise<void> {
  await closeExpiredRounds(svc, p);
  if (p.status !== 'running') return;
  const now = svc.now();
  const rounds = (await roundsOf(svc, p)).map((r) => r.value);
  const due = roundDue(p, rounds, now);
  if (due.due) {
    await createRound(svc, p, due.round);
    return;
  }
  for (const r of rounds.filter((x) => isOpen(x, now))) {
    if (!r.enqueued && now.getTime() - new Date(r.openedAt).getTime() > RESUME_AFTER_MS) await dispatchRound(svc, p, r);
    if (!r.remindersAt && reminderDue(p, r, now)) await queueReminders(svc, p, r);
  }
}

// ---------------------------------------------------------------------------------------------
// Closing rounds and the at-risk rule

/** Closes rounds whose time is up (or every round, once the programme stops running); then re-checks at-risk pairs. */
export async function closeExpiredRounds(svc: Services, p: Programme): Promise<void> {
  const now = svc.now();
  let closed = false;
  for (const { value: r } of await roundsOf(svc, p)) {
    if (r.status !== 'open' || (isOpen(r, now) && p.status === 'running')) continue;
    const res = await svc.store.rounds.mutate(programmePartition(p.tenantId, p.id), roundKey(r.round), (x) => (x && x.status === 'open' ? { ...x, status: 'closed' } : undefined));
    closed ||= res.changed;
  }
  if (closed) await evaluateAtRisk(svc, p);
}

/** Flags pairs that missed the two latest closed rounds in a row, tells the admins once, and clears pairs that answered since. */
export async function evaluateAtRisk(svc: Services, p: Programme): Promise<Pair[]> {
  const closed = (await roundsOf(svc, p)).map((r) => r.value).filter((r) => r.status === 'closed').slice(-2);
  if (!closed.length) return [];
  const withRecords = await Promise.all(closed.map(async (r) => ({ round: r.round, records: await recordsOf(svc, p, r.round) })));
  const latest = withRecords[withRecords.length - 1];
  const flagged: Pair[] = [];
  for (const pair of await pairsIn(svc, p, ['active', 'paused'])) {
    const risky = atRisk(pair, withRecords);
    if (risky && !pair.atRisk) {
      if (await setAtRisk(svc, p, pair.id, true)) flagged.push(pair);
    } else if (!risky && pair.atRisk && missedRound(pair, latest.records) === false) {
      await setAtRisk(svc, p, pair.id, false);
    }
  }
  for (const pair of flagged) {
    const [mentor, mentee] = await Promise.all([personName(svc, p, pair.mentorId), personName(svc, p, pair.menteeId)]);
    await tellAdmins(svc, p.tenantId, (locale) => atRiskNotice(locale, p, mentor, mentee));
  }
  return flagged;
}

async function personName(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, userId: string): Promise<string> {
  return (await nameOf(svc, p.tenantId, userId, await participantIn(svc, p.tenantId, p.id, userId))) || '?';
}

// ---------------------------------------------------------------------------------------------
// Reminders

/**
 * Queues a reminder for everyone who got the card and has not answered nor been reminded. The
 * round is marked first, so automatic reminders go out once even with several instances.
 */
export async function queueReminders(svc: Services, p: Programme, round: CheckinRound): Promise<number> {
  await svc.store.rounds.mutate(programmePartition(p.tenantId, p.id), roundKey(round.round), (r) => (r && !r.remindersAt ? { ...r, remindersAt: svc.now().toISOString() } : undefined));
  // A pair paused since the round opened is not reminded.
  const paused = new Set((await pairsIn(svc, p, ['paused'])).map((x) => x.id));
  const targets = (await recordsOf(svc, p, round.round)).filter((r) => needsReminder(r) && !paused.has(r.pairId));
  await queueJobs(svc, jobsFor(svc, targets, 'reminder'));
  return targets.length;
}

export async function openRound(svc: Services, p: Programme): Promise<CheckinRound | undefined> {
  const now = svc.now();
  return (await roundsOf(svc, p)).map((r) => r.value).reverse().find((r) => isOpen(r, now));
}

// ---------------------------------------------------------------------------------------------
// Answers

export type SubmitResult =
  | { kind: 'saved'; answer: CheckinAnswer; round: CheckinRound }
  | { kind: 'already'; round: number }
  | { kind: 'notYours' }
  | { kind: 'notInRound' }
  | { kind: 'closed'; round: number }
  | { kind: 'invalid'; problems: Problem[] };

export interface CheckinRef {
  round: number;
  pairId: string;
  forUser: string;
}

/** Today's date where the person is (their profile's time zone, else the programme's). */
async function todayFor(svc: Services, p: Programme, userId: string): Promise<string> {
  const tz = (await participantIn(svc, p.tenantId, p.id, userId))?.timeZone || p.timeZone;
  try {
    return localDate(svc.now(), tz);
  } catch {
    return localDate(svc.now(), p.timeZone);
  }
}

/**
 * Stores a check-in answer once. Refused, storing nothing: a card sent to someone else, a person
 * or pair not in the round, a closed round, a second answer, invalid input.
 */
export async function submitCheckin(svc: Services, p: Programme, userId: string, ref: CheckinRef, value: Record<string, unknown>): Promise<SubmitResult> {
  if (ref.forUser !== userId) return { kind: 'notYours' };
  if (!(ref.round > 0)) return { kind: 'notInRound' };
  const pk = roundPartition(p.tenantId, p.id, ref.round);
  // The person's record and the round in one round trip: answering is what people wait on.
  const [current, round] = await Promise.all([svc.store.checkins.get(pk, key(userId)), getRound(svc, p, ref.round)]);
  if (!current || current.value.pairId !== ref.pairId) return { kind: 'notInRound' };
  if (!round || !isOpen(round, svc.now()) || p.status !== 'running') return { kind: 'closed', round: ref.round };
  if (current.value.answeredAt) return { kind: 'already', round: ref.round };
  const checked = validateCheckin(value, tutorialIds(p.levels), await todayFor(svc, p, userId));
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems };
  const a = checked.answer;
  const at = svc.now().toISOString();
  const answered = (r: CheckinRecord): CheckinRecord =>
    ({ ...r, answeredAt: at, met: a.met, tutorials: a.tutorials, learned: a.learned, rating: a.rating, blockers: a.blockers, nextSession: a.nextSession ?? r.calendarNext?.slice(0, 10) });
  // Written with the ETag just read: a double press (or two devices) stores one answer. If the
  // record changed since (the dispatcher noting the card sent), the answer goes on the fresh record.
  const res = await svc.store.checkins.mutate(pk, key(userId), (r) => (r && !r.answeredAt ? answered(r) : undefined), { read: current });
  if (!res.changed) return { kind: 'already', round: ref.round };
  await afterAnswer(svc, p, current.value, a, at);
  return { kind: 'saved', answer: a, round };
}

/** Covered tutorials count as done on the mentee's ladder; an answer lifts the pair's at-risk flag. */
async function afterAnswer(svc: Services, p: Programme, r: CheckinRecord, a: CheckinAnswer, at: string): Promise<void> {
  const ladderOf = (menteeId: string) => progressOf(svc, p.tenantId, menteeId);
  // A mentee's own answer needs no pair to know whose ladder it is: read both at once.
  const [pair, mine] = await Promise.all([pairById(svc, p, r.pairId), a.tutorials.length && r.role === 'mentee' ? ladderOf(r.userId) : undefined]);
  const menteeId = pair?.menteeId ?? (r.role === 'mentee' ? r.userId : undefined);
  if (menteeId && a.tutorials.length) {
    const ladder = menteeId === r.userId && mine ? mine : await ladderOf(menteeId);
    await markDone(svc, p.tenantId, menteeId, a.tutorials, ladder, at);
  }
  if (pair?.atRisk) await setAtRisk(svc, p, pair.id, false);
}

export type OnDemand =
  | { kind: 'card'; record: CheckinRecord; round: CheckinRound }
  | { kind: 'answered'; record: CheckinRecord; round: CheckinRound }
  | { kind: 'noRound'; next?: Date }
  | { kind: 'notPaired' };

/**
 * `checkin`: the person's card of the open round. Someone paired after the round opened gets a
 * record now. The record is marked sent first, so a queued job for it will not send it again.
 */
export async function checkinOnDemand(svc: Services, p: Programme, userId: string): Promise<OnDemand> {
  const now = svc.now();
  const round = await openRound(svc, p);
  if (!round || p.status !== 'running') return { kind: 'noRound', next: p.status === 'running' ? slotAfter(p, now) : undefined };
  const pk = roundPartition(p.tenantId, p.id, round.round);
  let record = (await svc.store.checkins.get(pk, key(userId)))?.value;
  if (!record) {
    const asked = peopleToAsk(await activePairs(svc, p)).find((a) => a.userId === userId);
    if (!asked) return { kind: 'notPaired' };
    record = recordOf(p, round.round, asked, await weekFactsOf(svc, p, round));
  }
  if (record.answeredAt) return { kind: 'answered', record, round };
  const sent = { dispatch: 'sent' as const, sentAt: now.toISOString() };
  const res = await svc.store.checkins.mutate(pk, key(userId), (r) => (!r ? { ...record!, ...sent } : r.dispatch === 'queued' ? { ...r, ...sent } : undefined));
  return { kind: 'card', record: res.value ?? record, round };
}

// ---------------------------------------------------------------------------------------------
// The closing survey

/** The programme starts closing: open rounds end with it, and everyone who took part gets the survey. */
export async function startClosing(svc: Services, p: Programme): Promise<void> {
  await closeExpiredRounds(svc, p);
  await queueSurvey(svc, p);
}

/**
 * The programme is closed: no more check-ins, reminders or surveys (the survey cards answer
 * "closed"), it leaves `status`, and stays readable and exportable. From closing (the feedback
 * window ended, or an admin closed it at once) or earlier states through closing.
 */
export async function closeProgramme(svc: Services, tenantId: string, id: string): Promise<Programme | undefined> {
  const closedAt = svc.now().toISOString();
  const moved = await transition(svc, tenantId, id, 'closed', { closedAt });
  if (!moved.ok) return undefined;
  await closeExpiredRounds(svc, moved.programme);
  return moved.programme;
}

/** After the retention period: the free text of every check-in and survey answer goes; counts, ratings and tutorials stay. */
export async function eraseFreeText(svc: Services, p: Programme): Promise<number> {
  let erased = 0;
  for (const r of await checkinsOfProgramme(svc, p)) {
    if (r.learned === undefined && r.blockers === undefined && r.nextSession === undefined) continue;
    const keys = svc.store.checkins.keys(r);
    await svc.store.checkins.mutate(keys.partitionKey, keys.rowKey, (x) => (x ? { ...x, learned: undefined, blockers: undefined, nextSession: undefined } : undefined));
    erased++;
  }
  for (const f of await feedbackOf(svc, p, 'all')) {
    if (!f.change) continue;
    await svc.store.feedback.mutate(programmePartition(p.tenantId, p.id), feedbackKey(f.userId, phaseOf(f)), (x) => (x ? { ...x, change: '' } : undefined));
    erased++;
  }
  await markTextErased(svc, p.tenantId, p.id);
  return erased;
}

/**
 * Asks everyone who took part for feedback: both sides of every pair that ran (still live or ended,
 * say when a partner left or erased their data), as long as they are still in the programme.
 * Survey records (round 0) and jobs; safe to repeat.
 */
export async function queueSurvey(svc: Services, p: Programme): Promise<number> {
  const [pairs, people] = await Promise.all([pairsIn(svc, p, ['active', 'paused', 'ended']), participantsOf(svc, p)]);
  const stillIn = new Set(people.filter((x) => x.status === 'active' || x.status === 'paused').map((x) => x.userId));
  // Live pairs first, so a person's survey names the pair they are in now.
  const ordered = [...pairs.filter(isLivePair), ...pairs.filter((x) => !isLivePair(x))];
  const asked = peopleToAsk(ordered, ['active', 'paused', 'ended']).filter((a) => stillIn.has(a.userId));
  // Everyone asked has a start to compare the answer with (frozen now for anyone paired before baselines existed).
  await recordBaselines(svc, p, asked.map((a) => a.userId));
  await writeRecords(svc, asked.map((a) => recordOf(p, SURVEY_ROUND, a)));
  const queued = (await recordsOf(svc, p, SURVEY_ROUND)).filter((r) => r.dispatch === 'queued');
  await queueJobs(svc, jobsFor(svc, queued, 'survey'));
  return asked.length;
}

/**
 * The mid-point pulse (an admin turned it on): both sides of every active pair get one card, once.
 * Records (the pulse's round) and jobs first, then the programme is marked: a crash in between is
 * finished by the next tick, and a job queued twice sends once (the record says it was sent).
 */
export async function queuePulse(svc: Services, p: Programme): Promise<number> {
  const asked = peopleToAsk(await activePairs(svc, p));
  await writeRecords(svc, asked.map((a) => recordOf(p, PULSE_ROUND, a)));
  const queued = (await recordsOf(svc, p, PULSE_ROUND)).filter((r) => r.dispatch === 'queued');
  await svc.queue.enqueue(jobsFor(svc, queued, 'pulse'));
  await markPulseQueued(svc, p.tenantId, p.id);
  return asked.length;
}

/** What a survey card asks a person: mentees the programme's levels, mentors the business items. */
export function surveyScope(p: Pick<Programme, 'levels'>, role: Role, phase: SurveyPhase): SurveyScope {
  return role === 'mentee' ? { phase, levels: [...p.levels], items: [] } : { phase, levels: [], items: businessIds() };
}

export type FeedbackResult =
  | { kind: 'saved'; answer: FeedbackAnswer; role: Role }
  | { kind: 'already' }
  | { kind: 'notYours' }
  | { kind: 'notAsked' }
  | { kind: 'closed' }
  | { kind: 'invalid'; problems: Problem[] };

/**
 * Stores a closing survey (`end`, while the programme is closing) or pulse (`mid`, while it runs)
 * answer once. Refused, storing nothing: a card made for someone else, someone not asked, the
 * survey's time over, a second answer, an answer missing or out of range.
 */
export async function submitFeedback(svc: Services, p: Programme, userId: string, forUser: string, value: Record<string, unknown>, phase: SurveyPhase = 'end'): Promise<FeedbackResult> {
  if (forUser !== userId) return { kind: 'notYours' };
  const asked = (await svc.store.checkins.get(roundPartition(p.tenantId, p.id, phase === 'end' ? SURVEY_ROUND : PULSE_ROUND), key(userId)))?.value;
  if (!asked) return { kind: 'notAsked' };
  if (p.status !== (phase === 'end' ? 'closing' : 'running')) return { kind: 'closed' };
  if (await svc.store.feedback.get(programmePartition(p.tenantId, p.id), feedbackKey(userId, phase))) return { kind: 'already' };
  const checked = validateFeedback(value, surveyScope(p, asked.role, phase));
  if (!checked.ok) return { kind: 'invalid', problems: checked.problems };
  const a = checked.answer;
  const record: FeedbackRecord = {
    tenantId: p.tenantId, programmeId: p.id, userId, role: asked.role, phase,
    valueOfOneToOne: a.valueOfOneToOne, flexibility: a.flexibility, recommend: a.recommend,
    ...(asked.role === 'mentee' ? { levels: a.levels } : { business: a.business }),
    change: a.change, submittedAt: svc.now().toISOString(),
  };
  try {
    await svc.store.feedback.create(record);
  } catch (err) {
    if (err instanceof AlreadyExistsError) return { kind: 'already' };
    throw err;
  }
  return { kind: 'saved', answer: a, role: asked.role };
}

// ---------------------------------------------------------------------------------------------
// Health (the bot's `status` and the tab's dashboard show the same figures)

export async function healthOf(svc: Services, p: Programme): Promise<Health> {
  const [rounds, records, pairs, participants, flagged] = await Promise.all([
    roundsOf(svc, p), checkinsOfProgramme(svc, p), pairsIn(svc, p), participantsOf(svc, p), unreachableIn(svc, p.tenantId),
  ]);
  return programmeHealth({ rounds: rounds.map((r) => r.value), records, pairs, participants, flagged, now: svc.now() });
}

/** The closing survey's answers (or the pulse's, or both). */
export async function feedbackOf(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>, phase: SurveyPhase | 'all' = 'end'): Promise<FeedbackRecord[]> {
  const all = (await svc.store.feedback.list(programmePartition(p.tenantId, p.id))).map((f) => f.value);
  return phase === 'all' ? all : all.filter((f) => phaseOf(f) === phase);
}

/** The closing survey's answers an aggregate may count: nobody who erased their data. */
export async function countedFeedback(svc: Services, p: Pick<Programme, 'tenantId' | 'id'>): Promise<FeedbackRecord[]> {
  return (await feedbackOf(svc, p)).filter((f) => !isErased(f.userId));
}
