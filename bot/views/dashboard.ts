// The admin dashboard and its CSV export: every pair that ran (ended ones last) and its health,
// the response rate per round, who cannot be reached. Counts, rates and flags only, never anyone's words or ratings; the
// figures come from the one health computation the bot's `status` shows too (domain/health.ts).
import { programmeHealth } from '../domain/health';
import { ladderView } from '../domain/ladder';
import type { Locale, Programme } from '../domain/types';
import { checkinsOfProgramme, roundsOf } from '../services/checkins';
import { nameOf, unreachableIn } from '../services/contacts';
import { pairsIn } from '../services/pairs';
import { participantsOf } from '../services/participants';
import { progressOfMany } from '../services/progress';
import type { Services } from '../services/services';
import type { Dashboard, PairHealth, PairRow } from '../contract/tabApi';
import { toCsv } from './csv';
import { brief } from './me';

export async function dashboard(svc: Services, programme: Programme, locale: Locale): Promise<Dashboard> {
  const [participants, pairs, rounds, records, flagged] = await Promise.all([
    participantsOf(svc, programme), pairsIn(svc, programme), roundsOf(svc, programme), checkinsOfProgramme(svc, programme), unreachableIn(svc, programme.tenantId),
  ]);
  const health = programmeHealth({ rounds: rounds.map((r) => r.value), records, pairs, participants, flagged, now: svc.now() });
  const byId = new Map(participants.map((p) => [p.userId, p]));
  const shown = pairs.filter((p) => p.status !== 'proposed');
  const ids = [...new Set([...shown.flatMap((p) => [p.mentorId, p.menteeId]), ...health.unreachable.map((u) => u.userId)])];
  const [names, progress] = await Promise.all([
    Promise.all(ids.map(async (id) => [id, await nameOf(svc, programme.tenantId, id, byId.get(id))] as const)).then((e) => new Map(e)),
    progressOfMany(svc, programme.tenantId, shown.map((p) => p.menteeId)),
  ]);
  const who = (id: string) => ({ userId: id, name: names.get(id) || '', department: byId.get(id)?.department });

  const pairRows: PairRow[] = shown.map((p) => {
    const mine = records.filter((r) => r.pairId === p.id && r.answeredAt && r.round > 0);
    const last = mine.map((r) => r.answeredAt!).sort().pop();
    const health: PairHealth =
      p.status === 'ended' ? 'ended' : p.atRisk ? 'at-risk' : p.status === 'paused' ? 'paused' : !last && rounds.length > 0 ? 'no-checkins' : 'ok';
    const lv = ladderView(progress.get(p.menteeId) ?? new Map(), locale, programme.levels, byId.get(p.menteeId)?.wantLevels ?? []);
    return {
      id: p.id, status: p.status, health, atRisk: !!p.atRisk,
      mentor: who(p.mentorId), mentee: who(p.menteeId),
      lastCheckin: last,
      pausedUntil: p.status === 'paused' ? p.pausedUntil : undefined,
      answered: { mentor: mine.filter((r) => r.userId === p.mentorId).length, mentee: mine.filter((r) => r.userId === p.menteeId).length },
      menteeLadder: { done: lv.done, total: lv.total, percent: lv.percent },
    };
  });
  const order: Record<PairHealth, number> = { 'at-risk': 0, 'no-checkins': 1, paused: 2, ok: 3, proposed: 4, ended: 5 };
  pairRows.sort((a, b) => order[a.health] - order[b.health] || a.mentee.name.localeCompare(b.mentee.name));

  return {
    programme: brief(programme),
    pairs: pairRows,
    rounds: health.rounds.map(({ round, openedAt, expected, answered, rate }) => ({ round, openedAt, expected, answered, rate })),
    unreachable: health.unreachable.map((u) => ({ ...u, name: names.get(u.userId) || '' })),
    totals: { pairs: pairRows.filter((p) => p.status !== 'ended').length, atRisk: pairRows.filter((p) => p.atRisk && p.status !== 'ended').length, responseRate: health.responseRate },
  };
}

export function dashboardCsv(programme: Programme, d: Dashboard): string {
  const header = [
    'programme', 'pair status', 'health', 'at risk', 'mentor id', 'mentor name', 'mentor department', 'mentee id', 'mentee name',
    'mentee department', 'check-ins answered (mentor)', 'check-ins answered (mentee)', 'last check-in', 'paused until',
    'mentee tutorials done', 'mentee tutorials in scope', 'mentee ladder percent',
  ];
  const rows = d.pairs.map((p) => [
    programme.name, p.status, p.health, p.atRisk ? 'yes' : 'no', p.mentor.userId, p.mentor.name, p.mentor.department, p.mentee.userId,
    p.mentee.name, p.mentee.department, p.answered.mentor, p.answered.mentee, p.lastCheckin, p.pausedUntil, p.menteeLadder.done,
    p.menteeLadder.total, p.menteeLadder.percent,
  ]);
  return toCsv([header, ...rows]);
}
