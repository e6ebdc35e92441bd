// Joining and profiles: join (the profile form with the self-assessment), saving it, profile,
// editing it, pause and leave.
import { notice, problemsCard, roleLabel, statusLabel } from '../cards/common';
import { pauseForm, profileCard, profileForm } from '../cards/profile';
import { escapeMarkdown } from '../cards/render';
import { localDate } from '../domain/checkins';
import { canJoin, readProfileForm } from '../domain/programme';
import type { Participant, Programme } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { tellAdmins } from '../services/admins';
import { lookUpPerson, refreshPerson } from '../services/entra';
import { tellPairChange } from '../services/pairNotices';
import { isLive, leaveProgramme, myParticipations, participantIn, pause as pauseParticipant, resume as resumeParticipant, saveProfile } from '../services/participants';
import { getProgramme, listProgrammes } from '../services/programmes';
import { bookedSeriesOwner, seriesOf } from '../services/sessions';
import type { Services } from '../services/services';
import { offerStart } from './outcomes';
import { replaceCard, sendPrivately, Turn } from './turn';

/** Programmes this person may join now: open enrolment, or one they were nominated for. */
async function joinable(svc: Services, turn: Turn): Promise<Programme[]> {
  const programmes = (await listProgrammes(svc, turn.tenantId)).filter(canJoin);
  const mine = await Promise.all(programmes.map((p) => participantIn(svc, turn.tenantId, p.id, turn.userId)));
  return programmes.filter((p, i) => !isLive(mine[i]) && (p.enrolment === 'open' || mine[i]?.status === 'nominated'));
}

async function sendJoinForm(svc: Services, turn: Turn, programmes: Programme[]): Promise<void> {
  if (!programmes.length) {
    await turn.send(notice(turn, t(turn.locale, 'join.noOpen')));
    return;
  }
  const nominations = await Promise.all(programmes.map((p) => participantIn(svc, turn.tenantId, p.id, turn.userId)));
  const nominated = programmes.length === 1 && nominations[0]?.status === 'nominated' ? nominations[0] : undefined;
  // Prefilled from Entra ID; when it is down, the person types it and is told.
  const found = await lookUpPerson(svc, turn.tenantId, turn.userId);
  const form = profileForm(turn.locale, {
    programmes, fixedRole: nominated?.role, existing: nominated?.consentAt ? nominated : undefined, formFor: turn.userId,
    directory: found.kind === 'found' ? found.facts : undefined, directoryDown: found.kind === 'unavailable',
  });
  // Profiles are personal: the form goes to the person's 1:1 chat, not the channel.
  await sendPrivately(svc, turn, form, 'join.sentPrivately', 'join.installFirst');
}

export async function join(svc: Services, turn: Turn): Promise<void> {
  await sendJoinForm(svc, turn, await joinable(svc, turn));
}

/** The Join button of a programme's card. */
export async function joinStart(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const id = new Reader(value).id('programmeId', { required: true });
  const programme = id ? await getProgramme(svc, turn.tenantId, id) : undefined;
  if (!programme) {
    await turn.send(notice(turn, t(turn.locale, 'join.unknownProgramme'), '', 'error'));
    return;
  }
  const options = (await joinable(svc, turn)).filter((p) => p.id === programme.id);
  if (!options.length) {
    const me = await participantIn(svc, turn.tenantId, programme.id, turn.userId);
    if (me && isLive(me)) {
      await turn.send(profileCard(turn, [{ programme, participant: me }]));
      return;
    }
    const text = !canJoin(programme)
      ? t(turn.locale, 'join.closedProgramme', { name: escapeMarkdown(programme.name), status: statusLabel(turn.locale, programme.status) })
      : t(turn.locale, 'join.notNominated', { name: escapeMarkdown(programme.name) });
    await turn.send(notice(turn, text, '', 'error'));
    return;
  }
  await sendJoinForm(svc, turn, options);
}

export async function saveProfileForm(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  // The form names who it was made for; a forged or forwarded form is refused.
  if (value.formFor !== turn.userId) {
    await turn.send(notice(turn, t(L, 'join.notYou'), '', 'error'));
    return;
  }
  const ids = new Reader(value);
  const programmeId = ids.id('programmeId') || ids.id('fixedProgrammeId');
  if (!programmeId) {
    await turn.send(problemsCard(turn, [{ key: 'required', params: { field: 'programmeId' } }]));
    return;
  }
  const programme = await getProgramme(svc, turn.tenantId, programmeId);
  if (!programme) {
    await turn.send(notice(turn, t(L, 'join.unknownProgramme'), '', 'error'));
    return;
  }
  if (!canJoin(programme)) {
    await turn.send(notice(turn, t(L, 'join.closedProgramme', { name: escapeMarkdown(programme.name), status: statusLabel(L, programme.status) }), '', 'error'));
    return;
  }
  const existing = await participantIn(svc, turn.tenantId, programme.id, turn.userId);
  if (programme.enrolment === 'nominated' && !existing) {
    await turn.send(notice(turn, t(L, 'join.notNominated', { name: escapeMarkdown(programme.name) }), '', 'error'));
    return;
  }
  // Someone who left may rejoin in any role; their old pairs stay ended.
  const fixedRole = existing && existing.status !== 'left' ? existing.role : undefined;
  // The directory as it is now decides department and time zone, whatever the card says; when it
  // cannot be reached, what it said last (if anything), else what the person typed.
  const found = await lookUpPerson(svc, turn.tenantId, turn.userId);
  const directory = found.kind === 'found' ? found.facts : existing?.directory;
  const { value: fields, problems } = readProfileForm(value, programme, fixedRole, directory);
  if (!fields) {
    await turn.send(problemsCard(turn, problems));
    return;
  }
  const saved = await saveProfile(
    svc, programme, { id: turn.userId, name: turn.userName }, fields, typeof value.version === 'string' ? value.version : '', found.kind === 'found' ? found.facts : undefined,
  );
  if (saved.kind === 'outdated') {
    await turn.send(notice(turn, t(L, 'common.conflict'), '', 'error'));
    return;
  }
  const headline = saved.created
    ? t(L, 'join.saved', { name: escapeMarkdown(programme.name), role: roleLabel(L, fields.role) })
    : t(L, 'join.updated', { name: escapeMarkdown(programme.name) });
  const directoryNote = found.kind === 'unavailable' ? t(L, 'join.savedDirectoryDown') : '';
  await replaceCard(turn, profileCard(turn, [{ programme, participant: saved.participant }], headline, saved.created ? t(L, 'join.savedNext') : '', directoryNote));
  // A new mentor rates where they start on the business (measured again at the end).
  if (saved.created) await offerStart(svc, turn, programme, saved.participant);
}

export async function profile(svc: Services, turn: Turn): Promise<void> {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => r.participant.status !== 'left');
  // Moves and new managers count from now on: the directory is read again first.
  const { lookup, rows } = await refreshPerson(svc, turn.tenantId, turn.userId, mine);
  await turn.send(profileCard(turn, rows, '', '', lookup.kind === 'unavailable' ? t(turn.locale, 'profile.directoryDown') : ''));
}

/** The profile card's Edit button. */
export async function editProfile(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const id = new Reader(value).id('programmeId', { required: true });
  const programme = id ? await getProgramme(svc, turn.tenantId, id) : undefined;
  const me = programme ? await participantIn(svc, turn.tenantId, programme.id, turn.userId) : undefined;
  if (!programme || !me || me.status === 'left') {
    await turn.send(notice(turn, t(turn.locale, 'profile.notIn'), '', 'error'));
    return;
  }
  await turn.send(profileForm(turn.locale, { programmes: [programme], existing: me, fixedRole: me.role, formFor: turn.userId, version: me.consentAt ?? '' }));
}

/** The caller's participation the command is about (named, or the only one in `statuses`). */
async function myParticipation(svc: Services, turn: Turn, args: string, statuses: Participant['status'][]) {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => statuses.includes(r.participant.status));
  const name = args.trim().toLowerCase();
  const pick = name ? mine.filter((r) => r.programme.name.toLowerCase() === name) : mine;
  if (pick.length === 1) return pick[0];
  const text = pick.length
    ? t(turn.locale, 'programme.whichOpen', { names: pick.map((r) => `"${escapeMarkdown(r.programme.name)}"`).join(', ') })
    : t(turn.locale, 'profile.notIn');
  await turn.send(notice(turn, text, '', 'error'));
  return undefined;
}

/** The day after today where the person is: the earliest a pause can end. */
function tomorrow(svc: Services, timeZone: string): string {
  let today: string;
  try {
    today = localDate(svc.now(), timeZone);
  } catch {
    today = svc.now().toISOString().slice(0, 10);
  }
  return new Date(Date.parse(`${today}T12:00:00Z`) + 86400000).toISOString().slice(0, 10);
}

const timeZoneOf = (p: Participant, programme: Programme) => p.timeZone || programme.timeZone;

/** "pause": asks until when; already paused, says until when and how to resume. */
export async function pause(svc: Services, turn: Turn, args: string): Promise<void> {
  const mine = await myParticipation(svc, turn, args, ['active', 'paused']);
  if (!mine) return;
  const { programme, participant } = mine;
  const name = escapeMarkdown(programme.name);
  if (participant.status === 'paused') {
    const text = participant.pausedUntil ? t(turn.locale, 'pause.alreadyUntil', { name, date: participant.pausedUntil }) : t(turn.locale, 'pause.already', { name });
    await turn.send(notice(turn, text));
    return;
  }
  await turn.send(pauseForm(turn.locale, programme, turn.userId, tomorrow(svc, timeZoneOf(participant, programme))));
}

/** The pause card's Pause button: until the day chosen, or until they resume. */
export async function confirmPause(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  if (value.formFor !== turn.userId) {
    await turn.send(notice(turn, t(L, 'join.notYou'), '', 'error'));
    return;
  }
  const r = new Reader(value);
  const programmeId = r.id('programmeId', { required: true });
  const how = r.choice('how', ['date', 'open'] as const, { required: true });
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  const me = programme ? await participantIn(svc, turn.tenantId, programme.id, turn.userId) : undefined;
  if (!programme || !me || !isLive(me)) {
    await turn.send(notice(turn, t(L, 'profile.notIn'), '', 'error'));
    return;
  }
  let until: string | undefined;
  if (how === 'date') {
    until = r.date('until', { required: true });
    const earliest = tomorrow(svc, timeZoneOf(me, programme));
    if (until && (until < earliest || until > programme.endDate)) {
      await turn.send(notice(turn, t(L, 'pause.outOfRange', { min: earliest, max: programme.endDate }), '', 'error'));
      return;
    }
  }
  if (r.problems.length || !how) {
    await turn.send(problemsCard(turn, r.problems));
    return;
  }
  const name = escapeMarkdown(programme.name);
  if (me.status === 'paused') {
    await turn.send(notice(turn, t(L, 'pause.already', { name })));
    return;
  }
  const pairs = await pauseParticipant(svc, programme, turn.userId, until);
  await replaceCard(turn, notice(turn, until ? t(L, 'pause.doneUntil', { name, date: until }) : t(L, 'pause.done', { name }), t(L, 'pause.howToResume'), 'success'));
  await tellPairChange(svc, programme, { id: turn.userId, name: turn.userName }, pairs, { kind: 'paused', until });
}

export async function cancelPause(_svc: Services, turn: Turn): Promise<void> {
  await replaceCard(turn, notice(turn, t(turn.locale, 'pause.cancelled')));
}

/** "resume": back from a pause before its day. */
export async function resume(svc: Services, turn: Turn, args: string): Promise<void> {
  const mine = await myParticipation(svc, turn, args, ['paused']);
  if (!mine) return;
  const pairs = await resumeParticipant(svc, mine.programme, turn.userId);
  await turn.send(notice(turn, t(turn.locale, 'profile.resumed', { name: escapeMarkdown(mine.programme.name) }), '', 'success'));
  await tellPairChange(svc, mine.programme, { id: turn.userId, name: turn.userName }, pairs, { kind: 'resumed', automatically: false });
}

export async function leave(svc: Services, turn: Turn, args: string): Promise<void> {
  const mine = await myParticipation(svc, turn, args, ['active', 'paused', 'nominated']);
  if (!mine) return;
  const { programme } = mine;
  const ended = await leaveProgramme(svc, programme, turn.userId);
  // Sessions they booked stay in their Outlook calendar: only they can cancel them there.
  const booked: string[] = [];
  for (const e of ended) {
    if (bookedSeriesOwner((await seriesOf(svc, programme, e.pair.id))?.value, turn.userId) === 'yours') booked.push(t(turn.locale, 'sessions.endedYours', { partner: escapeMarkdown(e.partnerName) }));
  }
  await turn.send(notice(turn, t(turn.locale, 'profile.left', { name: escapeMarkdown(programme.name) }), '', 'success', booked));
  await tellPairChange(svc, programme, { id: turn.userId, name: turn.userName }, ended.map((e) => e.pair), { kind: 'left' });
}
