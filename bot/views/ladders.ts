// Ladders for the tab: a person's own (with their mentor, or their mentees as a mentor), and a
// mentee's as their mentor sees it (an admin's view of it holds no free text). Only what is
// personal, in no language: the words are the catalogue's (views/catalogue.ts), which the tab
// joins in the browser, and every answer names the catalogue version it was computed against.
import { catalogueVersion, ladderStatus } from '../domain/ladder';
import type { Pair, Participant, Programme } from '../domain/types';
import { CheckinFacts, checkinsOfPeople } from '../services/checkins';
import { nameOf } from '../services/contacts';
import { isLivePair, pairsIn } from '../services/pairs';
import { participantIn } from '../services/participants';
import { progressOf } from '../services/progress';
import type { Services } from '../services/services';
import type { HistoryEntry, Learned, MenteeLadder, MenteeSummary, PartnerView, PersonalLadder } from '../contract/tabApi';
import { brief } from './me';

function historyOf(records: CheckinFacts[]): HistoryEntry[] {
  return records
    .filter((r) => r.answeredAt)
    .sort((a, b) => b.round - a.round)
    .map((r) => ({
      round: r.round,
      answeredAt: r.answeredAt,
      met: r.met,
      tutorials: r.tutorials ?? [],
      learned: r.learned,
      rating: r.rating,
      nextSession: r.nextSession,
    }));
}

const learnedOf = (records: CheckinFacts[]): Learned[] =>
  records
    .filter((r) => r.answeredAt && r.learned?.trim())
    .sort((a, b) => b.round - a.round)
    .map((r) => ({ round: r.round, answeredAt: r.answeredAt, text: r.learned!.trim() }));

/** The next planned session: from the latest answered check-in of either side that names one. */
function nextSessionOf(records: CheckinFacts[]): string | undefined {
  const withDate = records.filter((r) => r.answeredAt && r.nextSession?.trim());
  withDate.sort((a, b) => b.round - a.round || (b.answeredAt ?? '').localeCompare(a.answeredAt ?? ''));
  return withDate[0]?.nextSession;
}

const byUser = (records: CheckinFacts[], userId: string) => records.filter((r) => r.userId === userId);

/** Reads of a programme's shared records the caller already has (the API keeps them a few seconds). */
export interface SharedReads {
  pairs?: Pair[];
  participants?: Map<string, Participant>;
  /** Every check-in answer of the programme, by person, in round order. */
  checkins?: Map<string, CheckinFacts[]>;
}

/** These people's check-in answers: from the shared ones when given, else read. */
async function answersOf(svc: Services, programme: Programme, people: string[], shared: SharedReads): Promise<CheckinFacts[]> {
  if (!shared.checkins) return checkinsOfPeople(svc, programme, people);
  return people.flatMap((u) => shared.checkins!.get(u) ?? []);
}

async function partner(svc: Services, programme: Programme, userId: string, pair: Pair, known?: Map<string, Participant>): Promise<PartnerView> {
  const p = known?.get(userId) ?? (await participantIn(svc, programme.tenantId, programme.id, userId));
  return { userId, name: await nameOf(svc, programme.tenantId, userId, p), department: p?.department, pairStatus: pair.status, atRisk: !!pair.atRisk };
}

export async function personalLadder(svc: Services, programme: Programme, participant: Participant, shared: SharedReads = {}): Promise<PersonalLadder> {
  const { tenantId, id: programmeId } = programme;
  const userId = participant.userId;
  const [progress, pairs] = await Promise.all([progressOf(svc, tenantId, userId), shared.pairs ?? pairsIn(svc, programme)]);
  const myPair = pairs.find((p) => p.menteeId === userId && isLivePair(p));
  const myMentees = pairs.filter((p) => p.mentorId === userId && isLivePair(p));
  const people = [userId, ...(myPair ? [myPair.mentorId] : []), ...myMentees.map((p) => p.menteeId)];
  const [records, mentor, mentees] = await Promise.all([
    answersOf(svc, programme, people, shared),
    myPair ? partner(svc, programme, myPair.mentorId, myPair, shared.participants) : Promise.resolve(undefined),
    Promise.all(myMentees.map((p) => partner(svc, programme, p.menteeId, p, shared.participants))),
  ]);
  const menteeSummaries = await Promise.all(
    mentees.map(async (m): Promise<MenteeSummary> => {
      const mp = shared.participants?.get(m.userId) ?? (await participantIn(svc, tenantId, programmeId, m.userId));
      const view = ladderStatus(await progressOf(svc, tenantId, m.userId), programme.levels, mp?.wantLevels ?? []);
      return {
        ...m,
        done: view.done, total: view.total, percent: view.percent,
        levels: view.levels.map((l) => ({ level: l.level, done: l.done, total: l.total, percent: l.percent })),
        learned: learnedOf(byUser(records, m.userId)),
      };
    }),
  );
  const pairRecords = myPair ? records.filter((r) => r.pairId === myPair.id) : [];
  return {
    catalogue: catalogueVersion(),
    programme: brief(programme),
    role: participant.role,
    name: participant.name,
    ladder: ladderStatus(progress, programme.levels, participant.wantLevels),
    mentor,
    nextSession: nextSessionOf(pairRecords),
    history: historyOf(byUser(records, userId)),
    mentees: menteeSummaries,
    learned: learnedOf(byUser(records, userId)),
  };
}

/** A mentee's ladder as their mentor sees it (`canEdit` is the caller's to set). */
export async function menteeLadder(svc: Services, programme: Programme, mentee: Participant, shared: SharedReads = {}): Promise<Omit<MenteeLadder, 'canEdit'>> {
  const [progress, records] = await Promise.all([progressOf(svc, programme.tenantId, mentee.userId), answersOf(svc, programme, [mentee.userId], shared)]);
  return {
    catalogue: catalogueVersion(),
    programme: brief(programme),
    mentee: { userId: mentee.userId, name: await nameOf(svc, programme.tenantId, mentee.userId, mentee), department: mentee.department },
    ladder: ladderStatus(progress, programme.levels, mentee.wantLevels),
    nextSession: nextSessionOf(records),
    history: historyOf(records),
  };
}

/**
 * What an admin may see of a mentee's ladder: tutorial statuses and when check-ins were answered,
 * never what the person wrote (learned, next session) nor their own rating.
 */
export function withoutFreeText<T extends Omit<MenteeLadder, 'canEdit'>>(ladder: T): T {
  return {
    ...ladder,
    nextSession: undefined,
    history: ladder.history.map(({ round, answeredAt, met, tutorials }) => ({ round, answeredAt, met, tutorials })),
  };
}
