// What a programme changed: the admins' outcome report (aggregates only, as the viewer may see
// them) and its CSV, and one person's own change (the tab's "my change" and the bot's
// "my progress"). The arithmetic is domain/outcomes.ts; this reads the records and names things.
import { businessIds, businessItems } from '../domain/business';
import { PULSE_ROUND, SURVEY_ROUND } from '../domain/checkins';
import { getCatalogue, tutorialIds } from '../domain/ladder';
import {
  isErased, itemOutcome, knowledgeSnapshot, levelRatings, measuredPer, ownChange, PersonAnswers, phaseOf, PRIVACY_THRESHOLD, roundsOutcome, sessionsHeld,
  skillsAtEnd, SnapshotPerson, surveyOutcome, tutorialsCovered,
} from '../domain/outcomes';
import type { Baseline, FeedbackRecord, Level, Locale, Participant, Programme, Skill } from '../domain/types';
import { baselineOf, baselinesOf, canRateStart } from '../services/baselines';
import { checkinsOfPeople, checkinsOfProgramme, feedbackOf, roundsOf } from '../services/checkins';
import { pairsOf } from '../services/pairs';
import { participantsOf } from '../services/participants';
import { listProgrammes } from '../services/programmes';
import { progressOf } from '../services/progress';
import type { Services } from '../services/services';
import type { ChangeRow, KnowledgeMoment, MyProgress, OutcomeReport } from '../contract/tabApi';
import { toCsv } from './csv';
import { brief } from './me';

const levelTitles = (locale: Locale) => new Map(getCatalogue(locale).levels.map((l) => [l.level, l.title]));
const itemTitles = (locale: Locale) => new Map(businessItems(locale).map((i) => [i.id, i.title]));
const tutorialInfo = (locale: Locale) => new Map(getCatalogue(locale).levels.flatMap((l) => l.tutorials.map((t) => [t.id, { title: t.title, level: l.level }] as const)));

/** Each counted person's start and answers (erased people have no baseline and are skipped anyway). */
function answersOf(baselines: Baseline[], feedback: FeedbackRecord[], people: Map<string, Participant>, programme: Pick<Programme, 'levels'>): PersonAnswers[] {
  const byPhase = (phase: 'mid' | 'end') => new Map(feedback.filter((f) => phaseOf(f) === phase && !isErased(f.userId)).map((f) => [f.userId, f]));
  const [mid, end] = [byPhase('mid'), byPhase('end')];
  return baselines
    .filter((b) => !isErased(b.userId))
    .map((b) => {
      const ratings = (f?: FeedbackRecord) => (f ? (b.role === 'mentee' ? f.levels : f.business) : undefined);
      return {
        userId: b.userId,
        role: b.role,
        department: b.department ?? people.get(b.userId)?.department ?? '',
        before: b.role === 'mentee' ? levelRatings(b.skills, programme.levels) : { ...(b.business ?? {}) },
        mid: ratings(mid.get(b.userId)),
        after: ratings(end.get(b.userId)),
      };
    });
}

/** The company's knowledge map at the start and the end of every programme of the tenant that has started. */
async function knowledgeOverTime(svc: Services, tenantId: string, viewerId: string, current: { programme: Programme; baselines: Baseline[]; feedback: FeedbackRecord[] }): Promise<KnowledgeMoment[]> {
  const programmes = (await listProgrammes(svc, tenantId)).filter((p) => p.status !== 'draft');
  const moments: KnowledgeMoment[] = [];
  for (const p of [...programmes].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.createdAt.localeCompare(b.createdAt))) {
    const [baselines, feedback] = p.id === current.programme.id ? [current.baselines, current.feedback] : await Promise.all([baselinesOf(svc, p), feedbackOf(svc, p, 'all')]);
    const start: SnapshotPerson[] = baselines.filter((b) => b.skills?.length && !isErased(b.userId)).map((b) => ({ userId: b.userId, department: b.department ?? '', skills: b.skills! }));
    if (!start.length) continue;
    moments.push({ programmeId: p.id, name: p.name, phase: 'start', date: p.startDate, map: knowledgeSnapshot(start, viewerId) });
    if (p.status === 'closing' || p.status === 'closed') {
      const after = new Map(feedback.filter((f) => phaseOf(f) === 'end' && f.levels).map((f) => [f.userId, f.levels]));
      const end = start.map((s) => ({ ...s, skills: skillsAtEnd(s.skills, after.get(s.userId)) }));
      moments.push({ programmeId: p.id, name: p.name, phase: 'end', date: (p.closedAt ?? p.feedbackUntil ?? p.endDate).slice(0, 10), map: knowledgeSnapshot(end, viewerId) });
    }
  }
  return moments;
}

export async function outcomeReport(svc: Services, programme: Programme, locale: Locale, viewerId: string): Promise<OutcomeReport> {
  const [participants, baselines, feedback, rounds, records] = await Promise.all([
    participantsOf(svc, programme), baselinesOf(svc, programme), feedbackOf(svc, programme, 'all'), roundsOf(svc, programme), checkinsOfProgramme(svc, programme),
  ]);
  const people = new Map(participants.map((p) => [p.userId, p]));
  const answers = answersOf(baselines, feedback, people, programme);
  const levelKeys = programme.levels.map(String);
  const items = businessIds();
  const mentees = measuredPer(levelKeys, answers.filter((a) => a.role === 'mentee'));
  const mentors = measuredPer(items, answers.filter((a) => a.role === 'mentor'));
  const lt = levelTitles(locale);
  const it = itemTitles(locale);
  const perRound = roundsOutcome(rounds.map((r) => r.value), records);
  const askedIn = (round: number) => records.filter((r) => r.round === round && !isErased(r.userId)).length;
  const info = tutorialInfo(locale);
  const live = participants.filter((p) => p.status === 'active' || p.status === 'paused');
  const hasPulse = !!programme.pulse || records.some((r) => r.round === PULSE_ROUND);
  return {
    programme: brief(programme),
    threshold: PRIVACY_THRESHOLD,
    generatedAt: svc.now().toISOString(),
    people: { mentees: live.filter((p) => p.role === 'mentee').length, mentors: live.filter((p) => p.role === 'mentor').length },
    levels: programme.levels.map((l) => ({ level: l, title: lt.get(l) ?? String(l), ...itemOutcome(String(l), mentees.get(String(l))!, viewerId) })),
    business: items.map((id) => ({ title: it.get(id) ?? id, ...itemOutcome(id, mentors.get(id)!, viewerId) })),
    rounds: perRound,
    totals: {
      sessions: perRound.reduce((n, r) => n + r.sessions, 0),
      asked: perRound.reduce((n, r) => n + r.asked, 0),
      answered: perRound.reduce((n, r) => n + r.answered, 0),
      responseRate: ((a, e) => (e ? Math.round((a / e) * 100) : null))(perRound.reduce((n, r) => n + r.answered, 0), perRound.reduce((n, r) => n + r.asked, 0)),
    },
    survey: surveyOutcome('end', feedback, askedIn(SURVEY_ROUND), viewerId),
    ...(hasPulse ? { pulse: surveyOutcome('mid', feedback, askedIn(PULSE_ROUND), viewerId) } : {}),
    tutorials: tutorialsCovered(records, tutorialIds()).map((x) => ({ ...x, title: info.get(x.id)?.title ?? x.id, level: (info.get(x.id)?.level ?? 1) as Level })),
    knowledge: await knowledgeOverTime(svc, programme.tenantId, viewerId, { programme, baselines, feedback }),
  };
}

/** The report as CSV, one figure a row (section, subject, measure, value): aggregates only, hidden ones say so. */
export function outcomeCsv(r: OutcomeReport, labels: { skill: string[]; business: string[] }): string {
  const rows: unknown[][] = [['section', 'subject', 'measure', 'value']];
  const hidden = `hidden: fewer than ${r.threshold} people other than you`;
  const item = (section: string, subject: string, o: OutcomeReport['levels'][number] | OutcomeReport['business'][number], scale: string[]) => {
    rows.push([section, subject, 'people compared', o.people]);
    if (o.hidden) {
      rows.push([section, subject, 'before and after', hidden]);
      return;
    }
    o.before.forEach((n, i) => rows.push([section, subject, `start: ${scale[i]}`, n]));
    o.after.forEach((n, i) => rows.push([section, subject, `end: ${scale[i]}`, n]));
    rows.push([section, subject, 'moved up at least one step', o.movedUp], [section, subject, 'moved up (%)', o.movedUpPercent]);
    rows.push([section, subject, 'same', o.same], [section, subject, 'moved down', o.movedDown]);
    rows.push([section, subject, 'average at the start', o.averageBefore], [section, subject, 'average at the end', o.averageAfter]);
    if (!o.mid.hidden) {
      o.mid.counts.forEach((n, i) => rows.push([section, subject, `mid-point: ${scale[i]}`, n]));
      rows.push([section, subject, 'moved up by the mid-point (%)', o.mid.movedUpPercent]);
    }
    if (o.departmentsHidden) rows.push([section, subject, 'by department', hidden]);
    for (const d of o.departments) {
      const who = d.department ?? `other departments (${d.departments})`;
      rows.push([`${section} by department`, `${subject} / ${who}`, 'people compared', d.people], [`${section} by department`, `${subject} / ${who}`, 'moved up (%)', d.movedUpPercent]);
    }
  };
  for (const l of r.levels) item('mentee levels', `Level ${l.level} ${l.title}`, l, labels.skill);
  for (const b of r.business) item('mentor business understanding', b.title, b, labels.business);
  for (const x of r.rounds) {
    rows.push(['check-ins', `round ${x.round} (${x.openedAt.slice(0, 10)})`, 'sessions held (pairs that met)', x.sessions]);
    rows.push(['check-ins', `round ${x.round} (${x.openedAt.slice(0, 10)})`, 'answered', x.answered], ['check-ins', `round ${x.round} (${x.openedAt.slice(0, 10)})`, 'asked', x.asked]);
    rows.push(['check-ins', `round ${x.round} (${x.openedAt.slice(0, 10)})`, 'response rate (%)', x.rate]);
  }
  rows.push(['check-ins', 'all rounds', 'sessions held (pairs that met)', r.totals.sessions], ['check-ins', 'all rounds', 'response rate (%)', r.totals.responseRate]);
  for (const s of [r.survey, ...(r.pulse ? [r.pulse] : [])]) {
    const section = s.phase === 'end' ? 'closing survey' : 'mid-point pulse';
    rows.push([section, 'answers', 'asked', s.asked], [section, 'answers', 'answered', s.answered]);
    if (s.hidden) {
      rows.push([section, 'results', 'distributions', hidden]);
      continue;
    }
    s.valueOfOneToOne.counts.forEach((n, i) => rows.push([section, 'value of the 1:1 setting', `${i + 1} of 5`, n]));
    rows.push([section, 'value of the 1:1 setting', 'average', s.valueOfOneToOne.average]);
    s.flexibility.counts.forEach((n, i) => rows.push([section, 'flexibility of content and time', `${i + 1} of 5`, n]));
    rows.push([section, 'flexibility of content and time', 'average', s.flexibility.average]);
    if (s.recommend.nps === null) rows.push([section, 'would recommend (0-10)', 'distribution', hidden]);
    else {
      s.recommend.counts.forEach((n, i) => rows.push([section, 'would recommend (0-10)', `${i}`, n]));
      rows.push([section, 'would recommend (0-10)', 'average', s.recommend.average], [section, 'would recommend (0-10)', 'net promoter score', s.recommend.nps]);
    }
  }
  for (const t of r.tutorials) rows.push(['tutorials most covered', `L${t.level} ${t.title}`, 'pairs', t.pairs]);
  for (const k of r.knowledge) {
    const subject = `${k.name} (${k.phase}, ${k.date})`;
    rows.push(['knowledge map', subject, 'people', k.map.people]);
    if (k.map.hidden) {
      rows.push(['knowledge map', subject, 'levels', hidden]);
      continue;
    }
    for (const l of k.map.levels) rows.push(['knowledge map', `${subject} level ${l.level}`, 'confident or better (%)', l.confidentPercent]);
  }
  return toCsv(rows);
}

// ---------------------------------------------------------------------------------------------
// One person's own change

export async function myProgress(svc: Services, programme: Programme, me: Participant, locale: Locale): Promise<MyProgress> {
  const [baseline, feedback, pairs, progress] = await Promise.all([
    baselineOf(svc, programme, me.userId), feedbackOf(svc, programme, 'all'), pairsOf(svc, programme, me.userId), progressOf(svc, programme.tenantId, me.userId),
  ]);
  const pairIds = new Set(pairs.filter((p) => p.status !== 'proposed').map((p) => p.id));
  const partners = pairs.filter((p) => pairIds.has(p.id)).map((p) => (p.mentorId === me.userId ? p.menteeId : p.mentorId));
  const records = await checkinsOfPeople(svc, programme, [me.userId, ...partners]);
  const mine = (phase: 'mid' | 'end') => feedback.find((f) => f.userId === me.userId && phaseOf(f) === phase);
  const asked = (round: number) => records.some((r) => r.userId === me.userId && r.round === round);
  const state = (round: number, phase: 'mid' | 'end') => (mine(phase) ? 'answered' : asked(round) ? 'asked' : 'none');
  const info = tutorialInfo(locale);
  let rows: ChangeRow[];
  let start: MyProgress['start'];
  let covered: string[];
  if (me.role === 'mentee') {
    const before = baseline?.skills ? levelRatings(baseline.skills, programme.levels) : levelRatings(me.skills as Skill[], programme.levels);
    start = baseline?.skills ? 'recorded' : me.skills?.length ? 'profile' : 'missing';
    const lt = levelTitles(locale);
    rows = ownChange(programme.levels.map(String), before, mine('mid')?.levels, mine('end')?.levels).map((c) => ({ ...c, title: lt.get(Number(c.key) as Level) ?? c.key }));
    const scope = new Set(tutorialIds(programme.levels));
    covered = [...progress.entries()].filter(([id, s]) => s === 'done' && scope.has(id)).map(([id]) => id);
  } else {
    start = baseline?.business ? 'recorded' : 'missing';
    const it = itemTitles(locale);
    rows = ownChange(businessIds(), baseline?.business, mine('mid')?.business, mine('end')?.business).map((c) => ({ ...c, title: it.get(c.key) ?? c.key }));
    covered = [...new Set(records.filter((r) => pairIds.has(r.pairId) && r.answeredAt).flatMap((r) => r.tutorials ?? []))];
  }
  const order = tutorialIds();
  covered.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return {
    programme: brief(programme),
    role: me.role,
    measures: me.role === 'mentee' ? 'levels' : 'business',
    rows,
    start,
    pulse: state(PULSE_ROUND, 'mid'),
    survey: state(SURVEY_ROUND, 'end'),
    tutorialsCovered: covered.map((id) => ({ id, title: info.get(id)?.title ?? id })),
    sessionsHeld: sessionsHeld(records, pairIds),
    checkinsAnswered: records.filter((r) => r.userId === me.userId && r.answeredAt && r.round !== SURVEY_ROUND && r.round !== PULSE_ROUND).length,
    canRateStart: me.role === 'mentor' && start === 'missing' && canRateStart(programme) && me.status !== 'left',
  };
}
