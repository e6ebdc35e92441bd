// Check-ins: `checkin` (my card now), the card and survey submits (replaced in place by a
// summary), "ask for help", and the admin commands `checkins send`, `remind` and `status`.
// The programme close hook sends the feedback survey.
import { escapeMarkdown, renderCard } from '../cards/render';
import { checkinCard, checkinSummaryCard, feedbackSummaryCard, localDay } from '../checkins/cards';
import { localDate, Problem } from '../domain/checkins';
import type { Locale, Programme, ProgrammeStatus } from '../domain/types';
import { Reader } from '../domain/validation';
import { PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import { t } from '../i18n/i18n';
import {
  checkinOnDemand, closeExpiredRounds, Health, healthOf, openRound, queueReminders, queueSurvey, recordsOf, startRoundNow, submitCheckin,
  submitFeedback,
} from '../services/checkins';
import { listAdmins } from '../services/admins';
import { contactOf } from '../services/contacts';
import { pairsOf } from '../services/pairs';
import { getProgramme, listProgrammes, myParticipations, participantIn } from '../services/programmes';
import type { Services } from '../services/services';
import { programmeFor, setOnProgrammeClosing } from './programmes';
import { notice, onCommand, onSubmit } from './router';
import type { Turn } from './turn';
import { roleLabel, statusLabel } from './views';

const name = (p: Pick<Programme, 'name'>) => escapeMarkdown(p.name);

function problemsNotice(turn: Turn, section: 'checkins' | 'feedback', problems: Problem[]) {
  const items = problems.map((p) => t(turn.locale, `${section}.errors.${p.code}`, { ...p.params, field: t(turn.locale, `${section}.fields.${p.field}`) }));
  return notice(turn, t(turn.locale, 'errors.title'), '', 'error', [...new Set(items)]);
}

/** Replaces the submitted card in place; falls back to a new message where the client gave no id. */
async function replaceOrSend(turn: Turn, card: ReturnType<typeof renderCard>): Promise<void> {
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
}

/** Card data ids: short opaque strings we issued (user ids, pair keys). */
function token(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 300 ? v : undefined;
}

// ------------------------------------------------------------------ participants

onCommand('checkin', async (turn, svc) => {
  const L = turn.locale;
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => r.participant.status === 'active' && r.programme.status === 'running');
  const lines: string[] = [];
  let cards = 0;
  for (const { programme } of mine) {
    const res = await checkinOnDemand(svc, programme, turn.userId);
    if (res.kind === 'card') {
      const partnerName = await partnerOf(svc, programme, turn.userId, res.record.pairId);
      const tz = (await participantIn(svc, programme.tenantId, programme.id, turn.userId))?.value.timeZone || programme.timeZone;
      await turn.send(checkinCard(L, { programme, record: res.record, closesAt: res.round.closesAt, partnerName, today: safeLocalDate(svc.now(), tz, programme.timeZone) }));
      cards++;
    } else if (res.kind === 'answered') lines.push(t(L, 'checkins.already', { round: res.round.round, programme: name(programme) }));
    else if (res.kind === 'notPaired') lines.push(t(L, 'checkins.notPaired'));
    else if (res.kind === 'noRound' && res.next) lines.push(t(L, 'checkins.nextRound', { programme: name(programme), date: localDay(res.next.toISOString(), programme.timeZone) }));
  }
  if (!cards && !mine.length) await turn.send(notice(turn, t(L, 'checkins.notPaired')));
  else if (!cards) await turn.send(notice(turn, t(L, 'checkins.noneOpen'), '', 'info', lines));
  else if (lines.length) await turn.send(notice(turn, lines.join(' ')));
});

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
  const other = pair.mentorId === userId ? pair.menteeId : pair.mentorId;
  return (await participantIn(svc, p.tenantId, p.id, other))?.value.name || undefined;
}

onSubmit('checkin.submit', async (turn, svc, value) => {
  const L = turn.locale;
  const ids = new Reader(value);
  const programmeId = ids.id('programmeId', { required: true });
  const round = ids.int('round', { min: 1, max: 999999, required: true });
  const pairId = token(value.pairId);
  const forUser = token(value.forUser);
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
  else if (res.kind === 'invalid') await turn.send(problemsNotice(turn, 'checkins', res.problems));
  else await replaceOrSend(turn, checkinSummaryCard(L, programme, round, res.answer));
});

onSubmit('checkin.help', async (turn, svc, value) => {
  const ids = new Reader(value);
  const programmeId = ids.id('programmeId', { required: true });
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  const pairId = token(value.pairId);
  const mine = programme ? (await pairsOf(svc, programme, turn.userId)).find((p) => p.id === pairId && (p.status === 'active' || p.status === 'paused')) : undefined;
  if (!programme || !mine) {
    await turn.send(notice(turn, t(turn.locale, 'checkins.notInRound'), '', 'error'));
    return;
  }
  const person = (await participantIn(svc, programme.tenantId, programme.id, turn.userId))?.value.name || turn.userName;
  for (const admin of await listAdmins(svc.store, turn.tenantId)) {
    const locale = (await contactOf(svc.store, turn.tenantId, admin.userId))?.locale ?? 'en';
    const text = t(locale, 'checkins.helpAdmin', { person: escapeMarkdown(person), programme: name(programme) });
    await svc.notifier.sendToUser(turn.tenantId, admin.userId, renderCard('notice', { title: text, text: '', tone: 'info', items: [], actions: [] }, locale)).catch(() => undefined);
  }
  await turn.send(notice(turn, t(turn.locale, 'checkins.helpAsked'), '', 'success'));
});

onSubmit('feedback.submit', async (turn, svc, value) => {
  const L = turn.locale;
  const programmeId = new Reader(value).id('programmeId', { required: true });
  const forUser = token(value.forUser);
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  if (!programme || !forUser) {
    await turn.send(notice(turn, t(L, 'common.staleCard'), '', 'error'));
    return;
  }
  const res = await submitFeedback(svc, programme, turn.userId, forUser, value);
  const p = name(programme);
  if (res.kind === 'notYours') await turn.send(notice(turn, t(L, 'feedback.notYours'), '', 'error'));
  else if (res.kind === 'notAsked') await turn.send(notice(turn, t(L, 'feedback.notAsked', { programme: p }), '', 'error'));
  else if (res.kind === 'closed') await turn.send(notice(turn, t(L, 'feedback.closed', { programme: p }), '', 'error'));
  else if (res.kind === 'already') await turn.send(notice(turn, t(L, 'feedback.already', { programme: p })));
  else if (res.kind === 'invalid') await turn.send(problemsNotice(turn, 'feedback', res.problems));
  else await replaceOrSend(turn, feedbackSummaryCard(L, programme, res.answer));
});

// ------------------------------------------------------------------ admins

onCommand('checkinsSend', async (turn, svc, args) => {
  const L = turn.locale;
  const programme = await programmeFor(turn, svc, args, ['running']);
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
});

onCommand('remind', async (turn, svc, args) => {
  const L = turn.locale;
  const programme = await programmeFor(turn, svc, args, ['running']);
  if (!programme) return;
  await closeExpiredRounds(svc, programme);
  const round = await openRound(svc, programme);
  const p = name(programme);
  if (!round) {
    await turn.send(notice(turn, t(L, 'checkins.remindNoRound', { programme: p })));
    return;
  }
  const count = await queueReminders(svc, programme, round);
  const key = count ? 'checkins.remindQueued' : 'checkins.remindNone';
  await turn.send(notice(turn, t(L, key, { count, round: round.round, programme: p }), '', count ? 'success' : 'info'));
});

const STATUS_OF_INTEREST: ProgrammeStatus[] = ['running', 'closing', 'closed'];
const SHOWN_PEOPLE = 15;

function list(locale: Locale, items: string[], none: string): string {
  if (!items.length) return none;
  const shown = items.slice(0, SHOWN_PEOPLE);
  if (items.length > SHOWN_PEOPLE) shown.push(t(locale, 'status.more', { count: items.length - SHOWN_PEOPLE }));
  return shown.join('\n\n');
}

function statusSection(L: Locale, p: Programme, h: Health, viewerId: string) {
  const pct = (n: number | null) => (n === null ? t(L, 'status.rateNone') : `${n}%`);
  // Survey results are aggregates of other people's answers: shown from the threshold on, never as words.
  const f = h.feedback.answers.filter((x) => x.userId !== viewerId);
  const shown = f.length >= PRIVACY_THRESHOLD;
  const avg = (xs: number[]) => (xs.length ? (Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10).toString() : '-');
  const waiting = h.rounds.filter((r) => r.open).reduce((n, r) => n + r.waiting, 0);
  return {
    title: t(L, 'status.title', { programme: name(p) }),
    summary: t(L, 'status.summary', { status: statusLabel(L, p.status), pairs: h.activePairs, atRisk: h.atRisk.length, rate: pct(h.responseRate) }),
    rounds: h.rounds.slice(-8).map((r) => ({
      label: t(L, 'status.roundLabel', { round: r.round, date: localDay(r.openedAt, p.timeZone) }),
      value: t(L, 'status.roundValue', { answered: r.answered, expected: r.expected, rate: pct(r.rate), sent: r.sent, state: t(L, r.open ? 'status.roundOpen' : 'status.roundClosed') }),
    })),
    waiting: waiting ? t(L, 'status.waiting', { count: waiting }) : '',
    atRiskCount: h.atRisk.length,
    atRisk: list(L, h.atRisk.map((x) => `${escapeMarkdown(x.mentor)} → ${escapeMarkdown(x.mentee)}`), t(L, 'status.atRiskNone')),
    unreachable: list(L, h.unreachable.map((x) => `${escapeMarkdown(x.name)} (${roleLabel(L, x.role)})`), t(L, 'status.unreachableNone')),
    feedback: h.feedback.asked
      ? shown
        ? t(L, 'status.feedbackValue', {
            count: h.feedback.answers.length, asked: h.feedback.asked, value: avg(f.map((x) => x.valueOfOneToOne)), flexibility: avg(f.map((x) => x.flexibility)),
            recommend: `${Math.round((f.filter((x) => x.wouldRecommend).length / f.length) * 100)}%`,
          })
        : t(L, 'status.feedbackFew', { count: h.feedback.answers.length, asked: h.feedback.asked, threshold: PRIVACY_THRESHOLD })
      : '',
  };
}

onCommand('status', async (turn, svc, args) => {
  let programmes: Programme[];
  if (args.trim()) {
    const p = await programmeFor(turn, svc, args, STATUS_OF_INTEREST);
    if (!p) return;
    programmes = [p];
  } else {
    programmes = (await listProgrammes(svc, turn.tenantId)).filter((p) => p.status === 'running' || p.status === 'closing').slice(0, 3);
    if (!programmes.length) {
      await programmeFor(turn, svc, '', ['running', 'closing']);
      return;
    }
  }
  const sections = [];
  for (const p of programmes) {
    await closeExpiredRounds(svc, p);
    sections.push(statusSection(turn.locale, p, await healthOf(svc, p), turn.userId));
  }
  await turn.send(renderCard('status', { programmes: sections }, turn.locale));
});

// ------------------------------------------------------------------ closing

setOnProgrammeClosing(async (svc, programme) => {
  // Open rounds end with the programme; then both sides of every live pair get the survey.
  await closeExpiredRounds(svc, programme);
  await queueSurvey(svc, programme);
});
