// Admin commands for programmes: new (a form), list, open (with a Join card in a channel), close.
import { notice, problemsCard, statusLabel } from '../cards/common';
import { programmeCard, programmeForm, programmeList } from '../cards/programmes';
import { escapeMarkdown } from '../cards/render';
import { readProgrammeForm } from '../domain/programme';
import type { Programme, ProgrammeStatus } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { closeProgramme, startClosing } from '../services/checkins';
import { isLivePair, pairsIn } from '../services/pairs';
import { isLive, participantsOf } from '../services/participants';
import { createProgramme, getProgramme, listProgrammes, newId, pickProgramme, setReportingLineRule, transition } from '../services/programmes';
import type { Services } from '../services/services';
import { replaceCard, Turn } from './turn';

/** Card data ids: short opaque strings we issued (user ids, pair keys). */
export function cardToken(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 300 ? v : undefined;
}

/** The programme and the person a submitted card names; a stale or forged card is answered here. */
export async function submittedFor(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<{ programme: Programme; forUser: string } | undefined> {
  const programmeId = new Reader(value).id('programmeId', { required: true });
  const forUser = cardToken(value.forUser);
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  if (programme && forUser) return { programme, forUser };
  await turn.send(notice(turn, t(turn.locale, 'common.staleCard'), '', 'error'));
  return undefined;
}

/** Finds the programme a command is about, or answers why it can't and returns undefined. */
export async function programmeFor(svc: Services, turn: Turn, args: string, statuses: ProgrammeStatus[]): Promise<Programme | undefined> {
  const pick = await pickProgramme(svc, turn.tenantId, args, statuses);
  if (pick.kind === 'found') return pick.programme;
  const L = turn.locale;
  const text =
    pick.kind === 'notFound'
      ? t(L, 'programme.notFound', { name: escapeMarkdown(pick.name) })
      : pick.kind === 'ambiguous'
        ? t(L, 'programme.whichOpen', { names: pick.candidates.map((p) => `"${escapeMarkdown(p.name)}"`).join(', ') })
        : t(L, 'programme.noneInState', { statuses: statuses.map((s) => statusLabel(L, s)).join(', ') });
  await turn.send(notice(turn, text, '', 'error'));
  return undefined;
}

function cannotMove(turn: Turn, p: Programme, target: ProgrammeStatus) {
  const L = turn.locale;
  return notice(turn, t(L, 'programme.cannotMove', { name: escapeMarkdown(p.name), status: statusLabel(L, p.status), target: statusLabel(L, target) }), '', 'error');
}

export async function programmeNew(svc: Services, turn: Turn): Promise<void> {
  await turn.send(programmeForm(turn, newId(), svc.now()));
}

/** The "programme new" form's Create button (admins only: declared in the submit table). */
export async function createFromForm(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const ids = new Reader(value);
  const formId = ids.id('formId', { required: true });
  const { value: fields, problems } = readProgrammeForm(value);
  if (!formId || !fields) {
    await turn.send(problemsCard(turn, [...ids.problems, ...problems]));
    return;
  }
  // The form id is the programme id: a second press of the same button finds it taken.
  const programme: Programme = { ...fields, tenantId: turn.tenantId, id: formId, status: 'draft', createdBy: turn.userId, createdAt: svc.now().toISOString() };
  if ((await createProgramme(svc, programme)) === 'exists') {
    await turn.send(notice(turn, t(turn.locale, 'programme.alreadyCreated')));
    return;
  }
  const name = escapeMarkdown(programme.name);
  await replaceCard(turn, notice(turn, t(turn.locale, 'programme.created', { name }), t(turn.locale, 'programme.createdNext', { name }), 'success'));
}

export async function programmes(svc: Services, turn: Turn): Promise<void> {
  const rows = await Promise.all(
    (await listProgrammes(svc, turn.tenantId)).slice(0, 20).map(async (programme) => {
      const [people, pairs] = await Promise.all([participantsOf(svc, programme), pairsIn(svc, programme)]);
      const counted = people.filter(isLive);
      return {
        programme,
        mentors: counted.filter((x) => x.role === 'mentor').length,
        mentees: counted.filter((x) => x.role === 'mentee').length,
        pairs: pairs.filter(isLivePair).length,
      };
    }),
  );
  await turn.send(programmeList(turn, rows));
}

/** In a channel or group chat, the programme's Join card goes there; from the 1:1 chat, a tip how. */
async function postCard(svc: Services, turn: Turn, p: Programme, opened: boolean): Promise<void> {
  const L = turn.locale;
  const name = escapeMarkdown(p.name);
  if (turn.scope === 'personal') {
    await turn.send(notice(turn, t(L, opened ? 'programme.opened' : 'programme.alreadyOpen', { name }), t(L, 'programme.openedHint', { name: p.name }), opened ? 'success' : 'info'));
    return;
  }
  await turn.send(programmeCard(turn, p));
  await turn.send(notice(turn, t(L, opened ? 'programme.opened' : 'programme.posted', { name }), opened ? t(L, 'programme.openedChannel') : '', 'success'));
}

/** "programme open": draft -> open; an open one is posted again where this is typed. */
export async function programmeOpen(svc: Services, turn: Turn, args: string): Promise<void> {
  // Unnamed, it is about the draft(s); only when there is none about an open one.
  const drafts = args.trim() ? 'none' : (await pickProgramme(svc, turn.tenantId, '', ['draft'])).kind;
  const p = await programmeFor(svc, turn, args, drafts === 'none' ? ['draft', 'open'] : ['draft']);
  if (!p) return;
  if (p.status === 'open') return postCard(svc, turn, p, false);
  const inChannel = turn.scope !== 'personal';
  const moved = await transition(svc, turn.tenantId, p.id, 'open', inChannel ? { channelConversationId: turn.conversationId } : {});
  if (!moved.ok) {
    await turn.send(cannotMove(turn, moved.current ?? p, 'open'));
    return;
  }
  await postCard(svc, turn, moved.programme, true);
}

/** "programme post": the Join card of a programme people can join, in any channel or group chat where the bot is. */
export async function programmePost(svc: Services, turn: Turn, args: string): Promise<void> {
  const p = await programmeFor(svc, turn, args, ['open', 'matching', 'running']);
  if (!p) return;
  await postCard(svc, turn, p, false);
}

/**
 * "programme close": the feedback window opens (FEEDBACK_WINDOW_DAYS), then the scheduler closes
 * the programme. "programme close now" closes it at once (a closing one ends its window).
 */
export async function programmeClose(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const now = /(^|\s)now$/.test(args.trim());
  const name = args.trim().replace(/(^|\s)now$/, '').trim();
  const p = await programmeFor(svc, turn, name, now ? ['open', 'matching', 'running', 'closing'] : ['open', 'matching', 'running', 'closing']);
  if (!p) return;
  const title = escapeMarkdown(p.name);
  if (p.status === 'closing' && !now) {
    await turn.send(notice(turn, t(L, 'programme.alreadyClosing', { name: title, date: p.feedbackUntil?.slice(0, 10) ?? '' }), t(L, 'programme.closeNowHint', { name: p.name })));
    return;
  }
  if (p.status !== 'closing') {
    const feedbackUntil = new Date(svc.now().getTime() + svc.config.feedbackWindowDays * 86400000).toISOString();
    const moved = await transition(svc, turn.tenantId, p.id, 'closing', { feedbackUntil });
    if (!moved.ok) {
      await turn.send(cannotMove(turn, moved.current ?? p, 'closing'));
      return;
    }
    // Open rounds end with the programme; everyone who took part gets the survey (not when closed at once).
    if (!now) {
      await startClosing(svc, moved.programme);
      await turn.send(notice(turn, t(L, 'programme.closed', { name: title, date: feedbackUntil.slice(0, 10) }), '', 'success'));
      return;
    }
  }
  const closed = await closeProgramme(svc, turn.tenantId, p.id);
  await turn.send(closed ? notice(turn, t(L, 'programme.closedNow', { name: title }), '', 'success') : cannotMove(turn, p, 'closed'));
}

/** "reporting lines on|off [programme]": whether people in one management chain may be paired (on: never). */
export async function reportingLines(svc: Services, turn: Turn, args: string): Promise<void> {
  const m = /^(on|off)\b\s*(.*)$/.exec(args);
  if (!m) {
    await turn.send(notice(turn, t(turn.locale, 'programme.reportingLinesUsage'), '', 'error'));
    return;
  }
  const p = await programmeFor(svc, turn, m[2], ['draft', 'open', 'matching', 'running']);
  if (!p) return;
  const on = m[1] === 'on';
  await setReportingLineRule(svc, turn.tenantId, p.id, on);
  await turn.send(notice(turn, t(turn.locale, on ? 'programme.reportingLinesOn' : 'programme.reportingLinesOff', { name: escapeMarkdown(p.name) }), '', 'success'));
}
