// Check-ins: "checkin" (my card now), the card and survey submits (replaced in place by a
// summary), "ask for help", and the admin commands "checkins send", "remind" and "status".
import { answerProblems, checkinCard, checkinSummaryCard, feedbackSummaryCard, helpAskedNotice, localDay, statusCard, StatusInput } from '../cards/checkins';
import { notice } from '../cards/common';
import { escapeMarkdown } from '../cards/render';
import { localDate } from '../domain/checkins';
import type { Programme, ProgrammeStatus } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { tellAdmins } from '../services/admins';
import {
  checkinOnDemand, closeExpiredRounds, countedFeedback, healthOf, openRound, queueReminders, recordsOf, startRoundNow, submitCheckin, submitFeedback,
} from '../services/checkins';
import { nameOf } from '../services/contacts';
import { isLivePair, pairsOf } from '../services/pairs';
import { myParticipations, participantIn } from '../services/participants';
import { getProgramme, listProgrammes } from '../services/programmes';
import type { Services } from '../services/services';
import { cardToken, programmeFor, submittedFor } from './programmes';
import { replaceCard, Turn } from './turn';

const name = (p: Pick<Programme, 'name'>) => escapeMarkdown(p.name);


function safeLocalDate(now: Date, tz: string, fallback: string): string {
  try {
    return localDate(now, tz);
  } catch {
    return localDate(now, fallback);
  }
}

async function partnerOf(svc: Services, p: Programme, userId: string, pairId: string): Promise<string | undefined> {
  const pair = (await pairsOf(svc, p, userId)).find((x) => x.id === pairId);
  if (!pair) return undefined;
  return (await participantIn(svc, p.tenantId, p.id, pair.mentorId === userId ? pair.menteeId : pair.mentorId))?.name || undefined;
}

// ------------------------------------------------------------------ participants

export async function checkin(svc: Services, turn: Turn): Promise<void> {
  const L = turn.locale;
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => r.participant.status === 'active' && r.programme.status === 'running');
  const lines: string[] = [];
  let cards = 0;
  for (const { programme, participant } of mine) {
    const res = await checkinOnDemand(svc, programme, turn.userId);
    if (res.kind === 'card') {
      const partnerName = await partnerOf(svc, programme, turn.userId, res.record.pairId);
      const today = safeLocalDate(svc.now(), participant.timeZone || programme.timeZone, programme.timeZone);
      await turn.send(checkinCard(L, { programme, record: res.record, closesAt: res.round.closesAt, partnerName, today, timeZone: participant.timeZone }));
      cards++;
    } else if (res.kind === 'answered') lines.push(t(L, 'checkins.already', { round: res.round.round, programme: name(programme) }));
    else if (res.kind === 'notPaired') lines.push(t(L, 'checkins.notPaired'));
    else if (res.kind === 'noRound' && res.next) lines.push(t(L, 'checkins.nextRound', { programme: name(programme), date: localDay(res.next.toISOString(), programme.timeZone) }));
  }
  if (!cards && !mine.length) await turn.send(notice(turn, t(L, 'checkins.notPaired')));
  else if (!cards) await turn.send(notice(turn, t(L, 'checkins.noneOpen'), '', 'info', lines));
  else if (lines.length) await turn.send(notice(turn, lines.join(' ')));
}

export async function submitCheckinCard(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  const ids = new Reader(value);
  const programmeId = ids.id('programmeId', { required: true });
  const round = ids.int('round', { min: 1, max: 999999, required: true });
  const pairId = cardToken(value.pairId);
  const forUser = cardToken(value.forUser);
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  if (!programme || round === undefined || !pairId || !forUser) {
    await turn.send(notice(turn, t(L, 'common.staleCard'), '', 'error'));
    return;
  }
  const res = await submitCheckin(svc, programme, turn.userId, { round, pairId, forUser }, value);
  const p = name(programme);
  if (res.kind === 'notYours') await turn.send(notice(turn, t(L, 'checkins.notYours'), '', 'error'));
  else if (res.kind === 'notInRound') await turn.send(notice(turn, t(L, 'checkins.notInRound'), '', 'error'));
  else if (res.kind === 'closed') await turn.send(notice(turn, t(L, 'checkins.roundClosed', { round, programme: p }), '', 'error'));
  else if (res.kind === 'already') await turn.send(notice(turn, t(L, 'checkins.already', { round, programme: p })));
  else if (res.kind === 'invalid') await turn.send(answerProblems(turn, 'checkins', res.problems));
  else await replaceCard(turn, checkinSummaryCard(L, programme, round, res.answer));
}

/** The check-in card's "ask for help": the admins are told who asked, nothing else. */
export async function askForHelp(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const programmeId = new Reader(value).id('programmeId', { required: true });
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  const pairId = cardToken(value.pairId);
  const mine = programme ? (await pairsOf(svc, programme, turn.userId)).find((p) => p.id === pairId && isLivePair(p)) : undefined;
  if (!programme || !mine) {
    await turn.send(notice(turn, t(turn.locale, 'checkins.notInRound'), '', 'error'));
    return;
  }
  const person = (await participantIn(svc, programme.tenantId, programme.id, turn.userId))?.name || turn.userName;
  await tellAdmins(svc, turn.tenantId, (locale) => helpAskedNotice(locale, programme, person));
  await turn.send(notice(turn, t(turn.locale, 'checkins.helpAsked'), '', 'success'));
}

export async function submitSurvey(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  const card = await submittedFor(svc, turn, value);
  if (!card) return;
  const { programme, forUser } = card;
  const res = await submitFeedback(svc, programme, turn.userId, forUser, value);
  const p = name(programme);
  if (res.kind === 'notYours') await turn.send(notice(turn, t(L, 'feedback.notYours'), '', 'error'));
  else if (res.kind === 'notAsked') await turn.send(notice(turn, t(L, 'feedback.notAsked', { programme: p }), '', 'error'));
  else if (res.kind === 'closed') await turn.send(notice(turn, t(L, 'feedback.closed', { programme: p }), '', 'error'));
  else if (res.kind === 'already') await turn.send(notice(turn, t(L, 'feedback.already', { programme: p })));
  else if (res.kind === 'invalid') await turn.send(answerProblems(turn, 'feedback', res.problems));
  else await replaceCard(turn, feedbackSummaryCard(L, programme, res.answer));
}

// ------------------------------------------------------------------ admins

export async function checkinsSend(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const programme = await programmeFor(svc, turn, args, ['running']);
  if (!programme) return;
  const res = await startRoundNow(svc, programme);
  const p = name(programme);
  if (res.kind === 'noPairs') {
    await turn.send(notice(turn, t(L, 'checkins.noPairs', { programme: p }), '', 'error'));
    return;
  }
  if (res.kind === 'opened') {
    await turn.send(notice(turn, t(L, 'checkins.roundOpened', { round: res.round.round, programme: p, count: res.round.expected }), '', 'success'));
    return;
  }
  const records = await recordsOf(svc, programme, res.round.round);
  await turn.send(
    notice(
      turn,
      t(L, 'checkins.roundAlreadyOpen', {
        round: res.round.round, programme: p,
        opened: localDay(res.round.openedAt, programme.timeZone), closes: localDay(res.round.closesAt, programme.timeZone),
        sent: records.filter((r) => r.dispatch === 'sent').length, expected: records.length || res.round.expected,
        answered: records.filter((r) => r.answeredAt).length,
      }),
    ),
  );
}

export async function remind(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const programme = await programmeFor(svc, turn, args, ['running']);
  if (!programme) return;
  await closeExpiredRounds(svc, programme);
  const round = await openRound(svc, programme);
  const p = name(programme);
  if (!round) {
    await turn.send(notice(turn, t(L, 'checkins.remindNoRound', { programme: p })));
    return;
  }
  const count = await queueReminders(svc, programme, round);
  await turn.send(notice(turn, t(L, count ? 'checkins.remindQueued' : 'checkins.remindNone', { count, round: round.round, programme: p }), '', count ? 'success' : 'info'));
}

const STATUS_OF_INTEREST: ProgrammeStatus[] = ['running', 'closing', 'closed'];

export async function status(svc: Services, turn: Turn, args: string): Promise<void> {
  let programmes: Programme[];
  if (args.trim()) {
    const p = await programmeFor(svc, turn, args, STATUS_OF_INTEREST);
    if (!p) return;
    programmes = [p];
  } else {
    programmes = (await listProgrammes(svc, turn.tenantId)).filter((p) => p.status === 'running' || p.status === 'closing').slice(0, 3);
    if (!programmes.length) {
      await programmeFor(svc, turn, '', ['running', 'closing']);
      return;
    }
  }
  const sections: StatusInput[] = [];
  for (const programme of programmes) {
    await closeExpiredRounds(svc, programme);
    const [health, feedback] = await Promise.all([healthOf(svc, programme), countedFeedback(svc, programme)]);
    const person = async (id: string) => (await nameOf(svc, programme.tenantId, id, await participantIn(svc, programme.tenantId, programme.id, id))) || '?';
    sections.push({
      programme, health, feedback, viewerId: turn.userId,
      atRisk: await Promise.all(health.atRisk.map(async (x) => ({ mentor: await person(x.mentorId), mentee: await person(x.menteeId) }))),
      paused: await Promise.all(health.paused.map(async (x) => ({ mentor: await person(x.mentorId), mentee: await person(x.menteeId), until: x.pausedUntil }))),
      unreachable: await Promise.all(health.unreachable.map(async (u) => ({ name: await person(u.userId), role: u.role }))),
    });
  }
  await turn.send(statusCard(turn.locale, sections));
}
