// What the programme changed, in the chat: "my progress" (a person's own change), the mentor's
// start card (asked when they join), the mid-point pulse's answers, and the admins'
// "programme pulse [name] on|off".
import { answerProblems, feedbackSummaryCard, localDay } from '../cards/checkins';
import { notice } from '../cards/common';
import { businessStartCard, progressCard } from '../cards/outcomes';
import { escapeMarkdown } from '../cards/render';
import { pulseAt } from '../domain/outcomes';
import type { Participant, Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { baselineOf, canRateStart, saveBusinessBaseline } from '../services/baselines';
import { submitFeedback } from '../services/checkins';
import { myParticipations } from '../services/participants';
import { setPulse } from '../services/programmes';
import type { Services } from '../services/services';
import { myProgress as myProgressView } from '../views/outcome';
import { programmeFor, submittedFor } from './programmes';
import { tabLink } from './tabLinks';
import { replaceCard, sendPrivately, Turn } from './turn';


/** "my progress": the person's own change in every programme they took part in; a mentor who has not rated their start gets the card for it. */
export async function myProgress(svc: Services, turn: Turn): Promise<void> {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((m) => m.participant.status !== 'nominated');
  const views = await Promise.all(mine.map((m) => myProgressView(svc, m.programme, m.participant, turn.locale)));
  const card = progressCard(turn.locale, views, svc.config.teamsAppId ? tabLink(svc.config, { view: 'ladder' }) : '');
  // Someone's own answers are theirs: asked in a channel, the card goes to their 1:1 chat.
  await sendPrivately(svc, turn, card, 'progress.sentPrivately', 'progress.installFirst', 'my progress');
  if (turn.scope !== 'personal') return;
  for (const [i, v] of views.entries()) if (v.canRateStart) await turn.send(businessStartCard(turn.locale, mine[i].programme, turn.userId));
}

/** After a mentor joins: the start card, unless they rated their start in this programme already. */
export async function offerStart(svc: Services, turn: Turn, programme: Programme, me: Participant): Promise<void> {
  if (me.role !== 'mentor' || !canRateStart(programme) || turn.scope !== 'personal') return;
  if ((await baselineOf(svc, programme, me.userId))?.business) return;
  await turn.send(businessStartCard(turn.locale, programme, me.userId));
}

/** The start card's Save: a mentor's business ratings, once. */
export async function submitStart(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  const card = await submittedFor(svc, turn, value);
  if (!card) return;
  const { programme, forUser } = card;
  const res = await saveBusinessBaseline(svc, programme, turn.userId, forUser, value);
  const p = escapeMarkdown(programme.name);
  if (res.kind === 'notYours') await turn.send(notice(turn, t(L, 'business.notYours'), '', 'error'));
  else if (res.kind === 'notMentor') await turn.send(notice(turn, t(L, 'business.notMentor', { programme: p }), '', 'error'));
  else if (res.kind === 'closed') await turn.send(notice(turn, t(L, 'business.closed', { programme: p }), '', 'error'));
  else if (res.kind === 'already') await turn.send(notice(turn, t(L, 'business.already', { programme: p })));
  else if (res.kind === 'invalid') await turn.send(answerProblems(turn, 'business', res.problems));
  else await replaceCard(turn, notice(turn, t(L, 'business.saved', { programme: p }), '', 'success'));
}

/** The mid-point pulse's Send: stored once, while the programme runs. */
export async function submitPulse(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  const card = await submittedFor(svc, turn, value);
  if (!card) return;
  const { programme, forUser } = card;
  const res = await submitFeedback(svc, programme, turn.userId, forUser, value, 'mid');
  const p = escapeMarkdown(programme.name);
  if (res.kind === 'notYours') await turn.send(notice(turn, t(L, 'feedback.notYours'), '', 'error'));
  else if (res.kind === 'notAsked') await turn.send(notice(turn, t(L, 'feedback.pulseNotAsked', { programme: p }), '', 'error'));
  else if (res.kind === 'closed') await turn.send(notice(turn, t(L, 'feedback.pulseClosed', { programme: p }), '', 'error'));
  else if (res.kind === 'already') await turn.send(notice(turn, t(L, 'feedback.pulseAlready', { programme: p })));
  else if (res.kind === 'invalid') await turn.send(answerProblems(turn, 'feedback', res.problems));
  else await replaceCard(turn, feedbackSummaryCard(L, programme, res.answer, 'mid'));
}

/** "programme pulse [name] [on|off]": the admin's switch for the mid-point pulse; without on/off, how it stands. */
export async function programmePulse(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const m = /^(.*?)\s*\b(on|off)$/.exec(args.trim());
  const want = m ? m[2] === 'on' : undefined;
  const p = await programmeFor(svc, turn, m ? m[1] : args, ['draft', 'open', 'matching', 'running']);
  if (!p) return;
  const name = escapeMarkdown(p.name);
  const at = pulseAt(p);
  const date = at ? localDay(at.toISOString(), p.timeZone) : p.startDate;
  if (p.pulseQueuedAt) {
    await turn.send(notice(turn, t(L, 'programme.pulseSent', { name, date: localDay(p.pulseQueuedAt, p.timeZone) })));
    return;
  }
  if (want === undefined) {
    await turn.send(notice(turn, t(L, p.pulse ? 'programme.pulseStatusOn' : 'programme.pulseStatusOff', { name, date }), t(L, 'programme.pulseHint', { name: p.name })));
    return;
  }
  await setPulse(svc, p.tenantId, p.id, want);
  const late = !!at && at <= svc.now();
  const text = !want ? t(L, 'programme.pulseOff', { name }) : t(L, late ? 'programme.pulseOnNow' : 'programme.pulseOn', { name, date });
  await turn.send(notice(turn, text, '', 'success'));
}
