// A programme's health, computed once for every view that shows it (the bot's `status`, the tab's
// admin dashboard): per round how many were asked, sent and answered, the response rate, pairs at
// risk, and who cannot be reached. Pure: the caller reads the records.
import { SURVEY_ROUND } from './checkins';
import type { CheckinRecord, CheckinRound, Pair, Participant, Role } from './types';

export interface RoundHealth {
  round: number;
  openedAt: string;
  open: boolean;
  /** People asked: the round's records, or the number planned before they were written. */
  expected: number;
  sent: number;
  answered: number;
  /** Still waiting in the queue. */
  waiting: number;
  /** 0-100, whole number; null when nobody was asked. */
  rate: number | null;
}

export interface Unreachable {
  userId: string;
  role: Role;
  /** 'contact': Teams said so since (blocked or uninstalled); 'delivery': the latest card could not be delivered. */
  reason: 'contact' | 'delivery';
}

export interface Health {
  rounds: RoundHealth[];
  responseRate: number | null;
  activePairs: number;
  atRisk: Pair[];
  /** Paused pairs, with who paused and until when. */
  paused: Pair[];
  unreachable: Unreachable[];
  /** People asked for the closing survey. */
  surveyAsked: number;
}

export interface HealthInput {
  rounds: CheckinRound[];
  /** Every check-in record of the programme, the survey's (round 0) included. */
  records: CheckinRecord[];
  pairs: Pair[];
  participants: Participant[];
  /** Contacts Teams said cannot be reached. */
  flagged: ReadonlySet<string>;
  now: Date;
}

const rate = (answered: number, expected: number) => (expected ? Math.round((answered / expected) * 100) : null);
const isLive = (p: Participant) => p.status === 'active' || p.status === 'paused' || p.status === 'nominated';

export function programmeHealth(i: HealthInput): Health {
  const byRound = new Map<number, CheckinRecord[]>();
  for (const r of i.records) byRound.set(r.round, [...(byRound.get(r.round) ?? []), r]);
  const rounds = [...i.rounds]
    .sort((a, b) => a.round - b.round)
    .map((r): RoundHealth => {
      const records = byRound.get(r.round) ?? [];
      const expected = records.length || r.expected;
      const answered = records.filter((x) => x.answeredAt).length;
      return {
        round: r.round, openedAt: r.openedAt, open: r.status === 'open' && new Date(r.closesAt) > i.now, expected, answered,
        sent: records.filter((x) => x.dispatch === 'sent').length,
        waiting: records.filter((x) => x.dispatch === 'queued').length,
        rate: rate(answered, expected),
      };
    });
  const expected = rounds.reduce((n, r) => n + r.expected, 0);
  const answered = rounds.reduce((n, r) => n + r.answered, 0);

  // Who cannot be reached, among the people still taking part: Teams said so (the contact), or
  // the latest card sent to them (a round's or the survey's) could not be delivered.
  const latest = new Map<string, CheckinRecord>();
  for (const r of [...i.records].sort((a, b) => (a.round === SURVEY_ROUND ? Infinity : a.round) - (b.round === SURVEY_ROUND ? Infinity : b.round))) {
    if (r.dispatch !== 'queued') latest.set(r.userId, r);
  }
  const unreachable: Unreachable[] = [];
  for (const p of i.participants.filter(isLive)) {
    if (i.flagged.has(p.userId)) unreachable.push({ userId: p.userId, role: p.role, reason: 'contact' });
    else if (['unreachable', 'failed'].includes(latest.get(p.userId)?.dispatch ?? '')) unreachable.push({ userId: p.userId, role: p.role, reason: 'delivery' });
  }
  const live = i.pairs.filter((p) => p.status === 'active' || p.status === 'paused');
  return {
    rounds,
    responseRate: rate(answered, expected),
    activePairs: live.filter((p) => p.status === 'active').length,
    atRisk: live.filter((p) => p.atRisk),
    paused: live.filter((p) => p.status === 'paused'),
    unreachable,
    surveyAsked: byRound.get(SURVEY_ROUND)?.length ?? 0,
  };
}
