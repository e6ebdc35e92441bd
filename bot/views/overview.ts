// The channel tab's programme overview (objectives, counts, ladder completion) and the knowledge
// map, as the viewer may see them: aggregates only where enough people other than them stand behind.
import { knowledgeMap, PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import { ladderView } from '../domain/ladder';
import type { Locale, Participant, Programme } from '../domain/types';
import { roundsOf } from '../services/checkins';
import { isLivePair, pairsIn } from '../services/pairs';
import { isLive, participantIn, participantsOf } from '../services/participants';
import { progressOfMany } from '../services/progress';
import type { Services } from '../services/services';
import type { Distribution, KnowledgeMapView, LevelDistribution, ProgrammeOverview } from '../contract/tabApi';
import { brief } from './me';

export const COMPLETION_BUCKETS: Array<{ label: string; min: number; max: number }> = [
  { label: '0%', min: 0, max: 0 },
  { label: '1-49%', min: 1, max: 49 },
  { label: '50-99%', min: 50, max: 99 },
  { label: '100%', min: 100, max: 100 },
];

/** The programme's figures for everyone: counts and the ladder completion distribution (no personal data). */
export type ProgrammeFigures = Pick<ProgrammeOverview, 'pairs' | 'mentors' | 'mentees' | 'rounds' | 'distribution'>;

function hideDistribution(d: Distribution): Distribution {
  return {
    hidden: true,
    threshold: d.threshold,
    levels: d.levels.map((l) => ({ ...l, complete: 0, started: 0, notStarted: 0 })),
    buckets: d.buckets.map((b) => ({ ...b, count: 0 })),
  };
}

/** The channel tab's view: the programme, its figures (shared by every viewer), and the caller's own role. */
export async function programmeOverview(
  svc: Services, programme: Programme, locale: Locale, callerId: string, isAdmin: Promise<boolean>, figures?: Promise<ProgrammeFigures>,
): Promise<ProgrammeOverview> {
  const [f, me, admin] = await Promise.all([figures ?? programmeFigures(svc, programme, locale), participantIn(svc, programme.tenantId, programme.id, callerId), isAdmin]);
  // A counted mentee is one of the people behind the figures.
  const counted = !!me && me.role === 'mentee' && isLive(me);
  const distribution = counted && !f.distribution.hidden && f.mentees - 1 < PRIVACY_THRESHOLD ? hideDistribution(f.distribution) : f.distribution;
  return {
    ...brief(programme),
    objectives: programme.objectives,
    enrolment: programme.enrolment,
    cadenceWeeks: programme.cadenceWeeks,
    ...f,
    distribution,
    myRole: me && (isLive(me) || me.status === 'nominated') ? me.role : undefined,
    knowledgeMap: admin || isLive(me),
    channelConversationId: programme.channelConversationId,
  };
}

export async function programmeFigures(svc: Services, programme: Programme, locale: Locale): Promise<ProgrammeFigures> {
  const [participants, pairs, rounds] = await Promise.all([participantsOf(svc, programme), pairsIn(svc, programme), roundsOf(svc, programme)]);
  const counted = participants.filter(isLive);
  const mentees = counted.filter((p) => p.role === 'mentee');
  const hidden = mentees.length < PRIVACY_THRESHOLD;
  const buckets = COMPLETION_BUCKETS.map((b) => ({ label: b.label, count: 0 }));
  let views: ReturnType<typeof ladderView>[] = [];
  if (!hidden) {
    // Everyone's ladder in one query over the tenant's progress partitions, not one query per mentee.
    const progress = await progressOfMany(svc, programme.tenantId, mentees.map((m) => m.userId));
    views = mentees.map((m) => ladderView(progress.get(m.userId) ?? new Map(), locale, programme.levels, m.wantLevels));
  }
  const levels: LevelDistribution[] = ladderView({}, locale, programme.levels).levels.map((lv) => {
    const d: LevelDistribution = { level: lv.level, title: lv.title, complete: 0, started: 0, notStarted: 0 };
    for (const v of views) {
      const l = v.levels.find((x) => x.level === lv.level)!;
      if (l.complete) d.complete++;
      else if (l.done > 0 || l.tutorials.some((t) => t.status === 'in-progress')) d.started++;
      else d.notStarted++;
    }
    return d;
  });
  for (const v of views) buckets[COMPLETION_BUCKETS.findIndex((b) => v.percent >= b.min && v.percent <= b.max)].count++;
  const distribution: Distribution = { hidden, threshold: PRIVACY_THRESHOLD, levels, buckets };
  return {
    pairs: pairs.filter(isLivePair).length,
    mentors: counted.filter((p) => p.role === 'mentor').length,
    mentees: mentees.length,
    rounds: rounds.length,
    distribution: hidden ? hideDistribution(distribution) : distribution,
  };
}

export async function programmeKnowledgeMap(svc: Services, programme: Programme, locale: Locale, viewerId: string, participants?: Participant[]): Promise<KnowledgeMapView> {
  const map = knowledgeMap(participants ?? (await participantsOf(svc, programme)), programme.levels, programme.maxMenteesPerMentor, viewerId);
  const titles = new Map(ladderView({}, locale, programme.levels).levels.map((l) => [l.level, l.title]));
  return {
    ...map,
    threshold: PRIVACY_THRESHOLD,
    levelTitles: map.levels.map((l) => ({ level: l, title: titles.get(l) ?? String(l) })),
    // JSON has no Infinity: no able mentor at all is reported as null.
    supply: map.supply.map((s) => ({ ...s, demandPerMentor: Number.isFinite(s.demandPerMentor) ? s.demandPerMentor : null })),
  };
}
