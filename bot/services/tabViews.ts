// Read models for the tab, over the Store. No HTTP here: the API decides who may see what,
// these functions only gather and shape the data.
import { findTutorial, ladderView, LadderView } from '../domain/ladder';
import { knowledgeMap, PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import type {
  CheckinRecord, CheckinRound, Level, Locale, MetAnswer, Pair, PairStatus, Participant, ParticipantStatus, Programme, Role, TutorialStatus,
} from '../domain/types';
import { key, keyPart, odataEscape } from '../storage/repository';
import { pairId, programmePartition, Store } from '../storage/store';

// ---------------------------------------------------------------------------------------------
// Basic reads

export async function getProgramme(store: Store, tenantId: string, programmeId: string): Promise<Programme | undefined> {
  return (await store.programmes.get(key(tenantId), key(programmeId)))?.value;
}

export async function listProgrammes(store: Store, tenantId: string): Promise<Programme[]> {
  const all = (await store.programmes.list(key(tenantId))).map((p) => p.value);
  return all.sort((a, b) => b.startDate.localeCompare(a.startDate) || a.name.localeCompare(b.name));
}

export async function getParticipant(store: Store, tenantId: string, programmeId: string, userId: string): Promise<Participant | undefined> {
  return (await store.participants.get(programmePartition(tenantId, programmeId), key(userId)))?.value;
}

export async function listParticipants(store: Store, tenantId: string, programmeId: string): Promise<Participant[]> {
  return (await store.participants.list(programmePartition(tenantId, programmeId))).map((p) => p.value);
}

export async function listPairs(store: Store, tenantId: string, programmeId: string): Promise<Pair[]> {
  return (await store.pairs.list(programmePartition(tenantId, programmeId))).map((p) => p.value);
}

/** The pair mentor -> mentee in a programme, read by its deterministic key. */
export async function getPair(store: Store, tenantId: string, programmeId: string, mentorId: string, menteeId: string): Promise<Pair | undefined> {
  const k = store.pairs.keys({ tenantId, programmeId, id: pairId(mentorId, menteeId) } as Pair);
  return (await store.pairs.get(k.partitionKey, k.rowKey))?.value;
}

export async function progressOf(store: Store, tenantId: string, userId: string): Promise<Map<string, TutorialStatus>> {
  const rows = await store.progress.list(key(tenantId, userId));
  return new Map(rows.map((r) => [r.value.tutorialId, r.value.status]));
}

/** The ladders of several people of a tenant: one range scan over the tenant's progress partitions. */
export async function progressOfMany(store: Store, tenantId: string, userIds: string[]): Promise<Map<string, Map<string, TutorialStatus>>> {
  const out = new Map<string, Map<string, TutorialStatus>>(userIds.map((u) => [u, new Map()]));
  if (!userIds.length) return out;
  // Progress partitions are `<tenant>|<user>`; '}' is the character after '|'.
  const t = odataEscape(keyPart(tenantId));
  for (const { value } of await store.progress.query(`PartitionKey ge '${t}|' and PartitionKey lt '${t}}'`)) {
    out.get(value.userId)?.set(value.tutorialId, value.status);
  }
  return out;
}

/** Check-in records of every round of a programme (one range scan over the round partitions), optionally narrowed. */
export async function programmeCheckins(store: Store, tenantId: string, programmeId: string, filter?: string): Promise<CheckinRecord[]> {
  const prefix = odataEscape(programmePartition(tenantId, programmeId) + '|');
  // Round partitions are `<programme partition>|<zero-padded round>`: digits sort below '~'.
  const range = `PartitionKey ge '${prefix}' and PartitionKey lt '${prefix}~'`;
  const rows = await store.checkins.query(filter ? `${range} and (${filter})` : range);
  return rows.map((r) => r.value).sort((a, b) => a.round - b.round);
}

export async function listRounds(store: Store, tenantId: string, programmeId: string): Promise<CheckinRound[]> {
  return (await store.rounds.list(programmePartition(tenantId, programmeId))).map((r) => r.value).sort((a, b) => a.round - b.round);
}

const LIVE: ReadonlySet<ParticipantStatus> = new Set(['nominated', 'active', 'paused']);
const LIVE_PAIR: ReadonlySet<PairStatus> = new Set(['active', 'paused']);

/** Display name: the profile name, else the contact's, else a neutral placeholder. */
async function nameOf(store: Store, tenantId: string, userId: string, participant?: Participant): Promise<string> {
  if (participant?.name) return participant.name;
  const contact = (await store.users.get(key(tenantId), key(userId)))?.value;
  return contact?.name || '';
}

// ---------------------------------------------------------------------------------------------
// Who am I

export interface Membership {
  programmeId: string;
  name: string;
  status: Programme['status'];
  role: Role;
  participantStatus: ParticipantStatus;
}

export interface Me {
  userId: string;
  tenantId: string;
  name: string;
  isAdmin: boolean;
  memberships: Membership[];
}

export async function memberships(store: Store, tenantId: string, userId: string): Promise<Array<{ programme: Programme; participant: Participant }>> {
  const programmes = await listProgrammes(store, tenantId);
  const found = await Promise.all(programmes.map(async (programme) => ({ programme, participant: await getParticipant(store, tenantId, programme.id, userId) })));
  return found.filter((f): f is { programme: Programme; participant: Participant } => !!f.participant && LIVE.has(f.participant.status));
}

/** `isAdmin` may still be on its way: it is read alongside the memberships. */
export async function me(store: Store, tenantId: string, userId: string, isAdmin: boolean | Promise<boolean>, tokenName?: string): Promise<Me> {
  const [mine, admin] = await Promise.all([memberships(store, tenantId, userId), isAdmin]);
  const name = tokenName || (await nameOf(store, tenantId, userId, mine[0]?.participant));
  return {
    userId, tenantId, name, isAdmin: admin,
    memberships: mine.map(({ programme, participant }) => ({
      programmeId: programme.id, name: programme.name, status: programme.status, role: participant.role, participantStatus: participant.status,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Ladders

export interface HistoryEntry {
  round: number;
  answeredAt?: string;
  met?: MetAnswer;
  tutorials: Array<{ id: string; title: string }>;
  learned?: string;
  rating?: number;
  nextSession?: string;
}

export interface PartnerView {
  userId: string;
  name: string;
  department?: string;
  pairStatus: PairStatus;
  atRisk: boolean;
}

export interface ProgrammeBrief {
  id: string;
  name: string;
  status: Programme['status'];
  levels: Level[];
  startDate: string;
  endDate: string;
}

export interface MenteeSummary extends PartnerView {
  done: number;
  total: number;
  percent: number;
  levels: Array<{ level: Level; title: string; done: number; total: number; percent: number }>;
  /** What the mentee wrote they learned, newest first. */
  learned: Array<{ round: number; answeredAt?: string; text: string }>;
}

export interface PersonalLadder {
  programme: ProgrammeBrief;
  role: Role;
  name: string;
  /** The person's own ladder (for a mentor: their own, usually of little interest). */
  ladder: LadderView;
  mentor?: PartnerView;
  nextSession?: string;
  history: HistoryEntry[];
  /** Mentors: their mentees with a ladder summary. */
  mentees: MenteeSummary[];
  /** What this person wrote they learned, newest first. */
  learned: Array<{ round: number; answeredAt?: string; text: string }>;
}

const brief = (p: Programme): ProgrammeBrief => ({ id: p.id, name: p.name, status: p.status, levels: p.levels, startDate: p.startDate, endDate: p.endDate });

function historyOf(records: CheckinRecord[], locale: Locale): HistoryEntry[] {
  return records
    .filter((r) => r.answeredAt)
    .sort((a, b) => b.round - a.round)
    .map((r) => ({
      round: r.round,
      answeredAt: r.answeredAt,
      met: r.met,
      tutorials: (r.tutorials ?? []).map((id) => ({ id, title: findTutorial(id, locale)?.title ?? id })),
      learned: r.learned,
      rating: r.rating,
      nextSession: r.nextSession,
    }));
}

const learnedOf = (records: CheckinRecord[]) =>
  records
    .filter((r) => r.answeredAt && r.learned?.trim())
    .sort((a, b) => b.round - a.round)
    .map((r) => ({ round: r.round, answeredAt: r.answeredAt, text: r.learned!.trim() }));

/** The next planned session: from the latest answered check-in of either side that names one. */
function nextSessionOf(records: CheckinRecord[]): string | undefined {
  const withDate = records.filter((r) => r.answeredAt && r.nextSession?.trim());
  withDate.sort((a, b) => b.round - a.round || (b.answeredAt ?? '').localeCompare(a.answeredAt ?? ''));
  return withDate[0]?.nextSession;
}

const byUser = (records: CheckinRecord[], userId: string) => records.filter((r) => r.userId === userId);

function rowKeyIn(userIds: string[]): string {
  return userIds.map((u) => `RowKey eq '${odataEscape(key(u))}'`).join(' or ');
}

/** Reads of a programme's shared records the caller already has (the API keeps them a few seconds). */
export interface SharedReads {
  pairs?: Pair[];
  participants?: Map<string, Participant>;
}

export async function personalLadder(store: Store, programme: Programme, participant: Participant, locale: Locale, shared: SharedReads = {}): Promise<PersonalLadder> {
  const { tenantId, id: programmeId } = programme;
  const userId = participant.userId;
  const [progress, pairs] = await Promise.all([progressOf(store, tenantId, userId), shared.pairs ?? listPairs(store, tenantId, programmeId)]);
  const myPair = pairs.find((p) => p.menteeId === userId && LIVE_PAIR.has(p.status));
  const myMentees = pairs.filter((p) => p.mentorId === userId && LIVE_PAIR.has(p.status));
  const people = [userId, ...(myPair ? [myPair.mentorId] : []), ...myMentees.map((p) => p.menteeId)];
  const [records, mentor, mentees] = await Promise.all([
    programmeCheckins(store, tenantId, programmeId, rowKeyIn(people)),
    myPair ? partner(store, programme, myPair.mentorId, myPair, shared.participants) : Promise.resolve(undefined),
    Promise.all(myMentees.map((p) => p.menteeId).map((id) => partner(store, programme, id, myMentees.find((p) => p.menteeId === id)!, shared.participants))),
  ]);
  const menteeSummaries = await Promise.all(
    mentees.map(async (m): Promise<MenteeSummary> => {
      const mp = shared.participants?.get(m.userId) ?? (await getParticipant(store, tenantId, programmeId, m.userId));
      const view = ladderView(await progressOf(store, tenantId, m.userId), locale, programme.levels, mp?.wantLevels ?? []);
      return {
        ...m,
        done: view.done, total: view.total, percent: view.percent,
        levels: view.levels.map((l) => ({ level: l.level, title: l.title, done: l.done, total: l.total, percent: l.percent })),
        learned: learnedOf(byUser(records, m.userId)),
      };
    }),
  );
  const pairRecords = myPair ? records.filter((r) => r.pairId === myPair.id) : [];
  return {
    programme: brief(programme),
    role: participant.role,
    name: participant.name,
    ladder: ladderView(progress, locale, programme.levels, participant.wantLevels),
    mentor,
    nextSession: nextSessionOf(pairRecords),
    history: historyOf(byUser(records, userId), locale),
    mentees: menteeSummaries,
    learned: learnedOf(byUser(records, userId)),
  };
}

async function partner(store: Store, programme: Programme, userId: string, pair: Pair, known?: Map<string, Participant>): Promise<PartnerView> {
  const p = known?.get(userId) ?? (await getParticipant(store, programme.tenantId, programme.id, userId));
  return { userId, name: await nameOf(store, programme.tenantId, userId, p), department: p?.department, pairStatus: pair.status, atRisk: !!pair.atRisk };
}

export interface MenteeLadder {
  programme: ProgrammeBrief;
  mentee: { userId: string; name: string; department?: string };
  ladder: LadderView;
  nextSession?: string;
  history: HistoryEntry[];
}

/**
 * What an admin may see of a mentee's ladder: tutorial statuses and when check-ins were answered,
 * never what the person wrote (learned, next session) nor their own rating.
 */
export function withoutFreeText(ladder: MenteeLadder): MenteeLadder {
  return {
    ...ladder,
    nextSession: undefined,
    history: ladder.history.map(({ round, answeredAt, met, tutorials }) => ({ round, answeredAt, met, tutorials })),
  };
}

/** A mentee's ladder as their mentor (or, through `withoutFreeText`, an admin) sees it. */
export async function menteeLadder(store: Store, programme: Programme, mentee: Participant, locale: Locale): Promise<MenteeLadder> {
  const { tenantId, id: programmeId } = programme;
  const [progress, records] = await Promise.all([
    progressOf(store, tenantId, mentee.userId),
    programmeCheckins(store, tenantId, programmeId, rowKeyIn([mentee.userId])),
  ]);
  return {
    programme: brief(programme),
    mentee: { userId: mentee.userId, name: await nameOf(store, tenantId, mentee.userId, mentee), department: mentee.department },
    ladder: ladderView(progress, locale, programme.levels, mentee.wantLevels),
    nextSession: nextSessionOf(records),
    history: historyOf(records, locale),
  };
}

/** Writes one tutorial's status for a person (source 'tab'). */
export async function setProgress(store: Store, tenantId: string, userId: string, tutorialId: string, status: TutorialStatus, now: Date): Promise<void> {
  await store.progress.upsert({ tenantId, userId, tutorialId, status, source: 'tab', updatedAt: now.toISOString() });
}

// ---------------------------------------------------------------------------------------------
// Programme overview (channel tab)

export interface LevelDistribution {
  level: Level;
  title: string;
  complete: number;
  started: number;
  notStarted: number;
}

export interface ProgrammeOverview extends ProgrammeBrief {
  objectives: string;
  enrolment: Programme['enrolment'];
  cadenceWeeks: number;
  pairs: number;
  mentors: number;
  mentees: number;
  rounds: number;
  /** Below the privacy threshold of mentees no breakdown is shown. */
  distribution: { hidden: boolean; threshold: number; levels: LevelDistribution[]; buckets: Array<{ label: string; count: number }> };
  /** The caller's own role in the programme, if any. */
  myRole?: Role;
  /** Whether the caller may see the knowledge map (a participant or an admin). */
  knowledgeMap: boolean;
  channelConversationId?: string;
}

export const COMPLETION_BUCKETS: Array<{ label: string; min: number; max: number }> = [
  { label: '0%', min: 0, max: 0 },
  { label: '1-49%', min: 1, max: 49 },
  { label: '50-99%', min: 50, max: 99 },
  { label: '100%', min: 100, max: 100 },
];

/** The programme's figures for everyone: counts and the ladder completion distribution (no personal data). */
export type ProgrammeFigures = Pick<ProgrammeOverview, 'pairs' | 'mentors' | 'mentees' | 'rounds' | 'distribution'>;

/** The channel tab's view: the programme, its figures, and the caller's own role. */
export async function programmeOverview(
  store: Store, programme: Programme, locale: Locale, callerId: string, isAdmin: Promise<boolean>, figures?: Promise<ProgrammeFigures>,
): Promise<ProgrammeOverview> {
  const [f, me, admin] = await Promise.all([figures ?? programmeFigures(store, programme, locale), getParticipant(store, programme.tenantId, programme.id, callerId), isAdmin]);
  // The figures are shared by every viewer; a counted mentee is one of the people behind them.
  const counted = !!me && me.role === 'mentee' && (me.status === 'active' || me.status === 'paused');
  const distribution = counted && !f.distribution.hidden && f.mentees - 1 < PRIVACY_THRESHOLD ? hideDistribution(f.distribution) : f.distribution;
  return {
    ...brief(programme),
    objectives: programme.objectives,
    enrolment: programme.enrolment,
    cadenceWeeks: programme.cadenceWeeks,
    ...f,
    distribution,
    myRole: me && LIVE.has(me.status) ? me.role : undefined,
    knowledgeMap: admin || (!!me && (me.status === 'active' || me.status === 'paused')),
    channelConversationId: programme.channelConversationId,
  };
}

export async function programmeFigures(store: Store, programme: Programme, locale: Locale): Promise<ProgrammeFigures> {
  const { tenantId, id: programmeId } = programme;
  const [participants, pairs, rounds] = await Promise.all([
    listParticipants(store, tenantId, programmeId),
    listPairs(store, tenantId, programmeId),
    listRounds(store, tenantId, programmeId),
  ]);
  const counted = participants.filter((p) => p.status === 'active' || p.status === 'paused');
  const mentees = counted.filter((p) => p.role === 'mentee');
  const hidden = mentees.length < PRIVACY_THRESHOLD;
  const levels: LevelDistribution[] = [];
  const buckets = COMPLETION_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  let views: ReturnType<typeof ladderView>[] = [];
  if (!hidden) {
    // Everyone's ladder in one query over the tenant's progress partitions, not one query per mentee.
    const progress = await progressOfMany(store, tenantId, mentees.map((m) => m.userId));
    views = mentees.map((m) => ladderView(progress.get(m.userId) ?? new Map(), locale, programme.levels, m.wantLevels));
  }
  const titles = ladderView({}, locale, programme.levels).levels;
  for (const lv of titles) {
    const d: LevelDistribution = { level: lv.level, title: lv.title, complete: 0, started: 0, notStarted: 0 };
    for (const v of views) {
      const l = v.levels.find((x) => x.level === lv.level)!;
      if (l.complete) d.complete++;
      else if (l.done > 0 || l.tutorials.some((t) => t.status === 'in-progress')) d.started++;
      else d.notStarted++;
    }
    levels.push(d);
  }
  for (const v of views) {
    const i = COMPLETION_BUCKETS.findIndex((b) => v.percent >= b.min && v.percent <= b.max);
    buckets[i].count++;
  }
  return {
    pairs: pairs.filter((p) => p.status === 'active' || p.status === 'paused').length,
    mentors: counted.filter((p) => p.role === 'mentor').length,
    mentees: mentees.length,
    rounds: rounds.length,
    distribution: hidden ? hideDistribution({ hidden, threshold: PRIVACY_THRESHOLD, levels, buckets }) : { hidden, threshold: PRIVACY_THRESHOLD, levels, buckets },
  };
}

function hideDistribution(d: ProgrammeOverview['distribution']): ProgrammeOverview['distribution'] {
  return {
    hidden: true,
    threshold: d.threshold,
    levels: d.levels.map((l) => ({ ...l, complete: 0, started: 0, notStarted: 0 })),
    buckets: d.buckets.map((b) => ({ ...b, count: 0 })),
  };
}

export async function programmeKnowledgeMap(store: Store, programme: Programme, locale: Locale, viewerId: string) {
  const participants = await listParticipants(store, programme.tenantId, programme.id);
  const map = knowledgeMap(participants, programme.levels, programme.maxMenteesPerMentor, viewerId);
  const titles = new Map(ladderView({}, locale, programme.levels).levels.map((l) => [l.level, l.title]));
  return {
    ...map,
    threshold: PRIVACY_THRESHOLD,
    levelTitles: map.levels.map((l) => ({ level: l, title: titles.get(l) ?? String(l) })),
    // JSON has no Infinity: no able mentor at all is reported as null.
    supply: map.supply.map((s) => ({ ...s, demandPerMentor: Number.isFinite(s.demandPerMentor) ? s.demandPerMentor : null })),
  };
}

// ---------------------------------------------------------------------------------------------
// Admin dashboard and export

export type PairHealth = 'ok' | 'at-risk' | 'paused' | 'no-checkins' | 'proposed' | 'ended';

export interface PairRow {
  id: string;
  status: PairStatus;
  health: PairHealth;
  atRisk: boolean;
  mentor: { userId: string; name: string; department?: string };
  mentee: { userId: string; name: string; department?: string };
  lastCheckin?: string;
  answered: { mentor: number; mentee: number };
  menteeLadder: { done: number; total: number; percent: number };
}

export interface RoundRate {
  round: number;
  openedAt: string;
  expected: number;
  answered: number;
  /** 0-100, whole number; null when nobody was asked. */
  rate: number | null;
}

export interface Dashboard {
  programme: ProgrammeBrief;
  pairs: PairRow[];
  rounds: RoundRate[];
  unreachable: Array<{ userId: string; name: string; role: Role; reason: 'contact' | 'delivery' }>;
  totals: { pairs: number; atRisk: number; responseRate: number | null };
}

export async function dashboard(store: Store, programme: Programme, locale: Locale): Promise<Dashboard> {
  const { tenantId, id: programmeId } = programme;
  const [participants, pairs, rounds, records] = await Promise.all([
    listParticipants(store, tenantId, programmeId),
    listPairs(store, tenantId, programmeId),
    listRounds(store, tenantId, programmeId),
    programmeCheckins(store, tenantId, programmeId),
  ]);
  const byId = new Map(participants.map((p) => [p.userId, p]));
  const shown = pairs.filter((p) => p.status !== 'ended' && p.status !== 'proposed');
  const ids = [...new Set(shown.flatMap((p) => [p.mentorId, p.menteeId]).concat(participants.filter((p) => LIVE.has(p.status)).map((p) => p.userId)))];
  const [names, contacts, ladders] = await Promise.all([
    Promise.all(ids.map(async (id) => [id, await nameOf(store, tenantId, id, byId.get(id))] as const)).then((e) => new Map(e)),
    Promise.all(ids.map(async (id) => [id, (await store.users.get(key(tenantId), key(id)))?.value] as const)).then((e) => new Map(e)),
    Promise.all(
      shown.map(async (p) => [p.menteeId, ladderView(await progressOf(store, tenantId, p.menteeId), locale, programme.levels, byId.get(p.menteeId)?.wantLevels ?? [])] as const),
    ).then((e) => new Map(e)),
  ]);
  const who = (id: string) => ({ userId: id, name: names.get(id) || '', department: byId.get(id)?.department });

  const pairRows: PairRow[] = shown.map((p) => {
    const mine = records.filter((r) => r.pairId === p.id && r.answeredAt);
    const last = mine.map((r) => r.answeredAt!).sort().pop();
    const health: PairHealth = p.atRisk ? 'at-risk' : p.status === 'paused' ? 'paused' : !last && rounds.length > 0 ? 'no-checkins' : 'ok';
    const lv = ladders.get(p.menteeId)!;
    return {
      id: p.id, status: p.status, health, atRisk: !!p.atRisk,
      mentor: who(p.mentorId), mentee: who(p.menteeId),
      lastCheckin: last,
      answered: { mentor: mine.filter((r) => r.userId === p.mentorId).length, mentee: mine.filter((r) => r.userId === p.menteeId).length },
      menteeLadder: { done: lv.done, total: lv.total, percent: lv.percent },
    };
  });
  const order: Record<PairHealth, number> = { 'at-risk': 0, 'no-checkins': 1, paused: 2, ok: 3, proposed: 4, ended: 5 };
  pairRows.sort((a, b) => order[a.health] - order[b.health] || a.mentee.name.localeCompare(b.mentee.name));

  const roundRates: RoundRate[] = rounds.map((r) => {
    const inRound = records.filter((x) => x.round === r.round);
    const expected = inRound.length || r.expected;
    const answered = inRound.filter((x) => x.answeredAt).length;
    return { round: r.round, openedAt: r.openedAt, expected, answered, rate: expected ? Math.round((answered / expected) * 100) : null };
  });

  const unreachable: Dashboard['unreachable'] = [];
  for (const id of ids) {
    const p = byId.get(id);
    if (!p || !LIVE.has(p.status)) continue;
    const latest = records.filter((r) => r.userId === id).sort((a, b) => b.round - a.round)[0];
    if (contacts.get(id)?.unreachable) unreachable.push({ userId: id, name: names.get(id) || '', role: p.role, reason: 'contact' });
    else if (latest?.dispatch === 'unreachable') unreachable.push({ userId: id, name: names.get(id) || '', role: p.role, reason: 'delivery' });
  }

  const expected = roundRates.reduce((n, r) => n + r.expected, 0);
  const answered = roundRates.reduce((n, r) => n + r.answered, 0);
  return {
    programme: brief(programme),
    pairs: pairRows,
    rounds: roundRates,
    unreachable,
    totals: { pairs: pairRows.length, atRisk: pairRows.filter((p) => p.atRisk).length, responseRate: expected ? Math.round((answered / expected) * 100) : null },
  };
}

/** One CSV field: quoted when needed, and defused when a spreadsheet would read it as a formula. */
export function csvField(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  // A leading = + - @ (or tab / CR) makes Excel and others evaluate the cell: prefix a quote.
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export function dashboardCsv(programme: Programme, d: Dashboard): string {
  const header = [
    'programme', 'pair status', 'health', 'at risk', 'mentor id', 'mentor name', 'mentor department', 'mentee id', 'mentee name',
    'mentee department', 'check-ins answered (mentor)', 'check-ins answered (mentee)', 'last check-in',
    'mentee tutorials done', 'mentee tutorials in scope', 'mentee ladder percent',
  ];
  const rows = d.pairs.map((p) => [
    programme.name, p.status, p.health, p.atRisk ? 'yes' : 'no', p.mentor.userId, p.mentor.name, p.mentor.department, p.mentee.userId,
    p.mentee.name, p.mentee.department, p.answered.mentor, p.answered.mentee, p.lastCheckin, p.menteeLadder.done,
    p.menteeLadder.total, p.menteeLadder.percent,
  ]);
  return toCsv([header, ...rows]);
}

// ---------------------------------------------------------------------------------------------
// Local identity mode: everyone the switcher may offer

export interface LocalUser {
  tenantId: string;
  userId: string;
  name: string;
  roles: string[];
  isAdmin: boolean;
}

/** Every participant and admin in storage, grouped by person (local mode only: reads across tenants). */
export async function localUsers(store: Store, tenantId?: string): Promise<LocalUser[]> {
  const filter = tenantId ? `PartitionKey ge '${odataEscape(key(tenantId))}' and PartitionKey lt '${odataEscape(key(tenantId))}~'` : `PartitionKey ne ''`;
  const [participants, admins, programmes] = await Promise.all([
    store.participants.query(filter),
    store.admins.query(tenantId ? `PartitionKey eq '${odataEscape(key(tenantId))}'` : `PartitionKey ne ''`),
    store.programmes.query(tenantId ? `PartitionKey eq '${odataEscape(key(tenantId))}'` : `PartitionKey ne ''`),
  ]);
  const programmeNames = new Map(programmes.map((p) => [`${p.value.tenantId}|${p.value.id}`, p.value.name]));
  const users = new Map<string, LocalUser>();
  const get = (t: string, u: string, name: string) => {
    const k = `${t}|${u}`;
    let found = users.get(k);
    if (!found) users.set(k, (found = { tenantId: t, userId: u, name, roles: [], isAdmin: false }));
    if (!found.name && name) found.name = name;
    return found;
  };
  for (const { value: p } of participants) {
    if (!LIVE.has(p.status)) continue;
    get(p.tenantId, p.userId, p.name).roles.push(`${p.role} (${programmeNames.get(`${p.tenantId}|${p.programmeId}`) ?? p.programmeId})`);
  }
  for (const { value: a } of admins) get(a.tenantId, a.userId, a.name).isAdmin = true;
  return [...users.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId) || (a.name || a.userId).localeCompare(b.name || b.userId));
}
