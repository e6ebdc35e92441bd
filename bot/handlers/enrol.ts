// "enrol @person as mentor|mentee": an admin nominates someone; they get a note and the
// profile form (the role fixed, prefilled from Entra ID) in their 1:1 chat and still confirm by
// saving it. "enrol group <name or id> as mentor|mentee" nominates every user of an Entra group
// (nested groups, all pages), each getting the card once, however often it runs: the admin is
// answered at once, the cards go out at the tenant's shared send rate, and a summary follows.
import { notice, roleLabel } from '../cards/common';
import { profileForm } from '../cards/profile';
import { escapeMarkdown } from '../cards/render';
import type { DirectoryFacts, Programme, Role } from '../domain/types';
import { t } from '../i18n/i18n';
import { contactOf } from '../services/contacts';
import { findGroup, groupPeople, lookUpPerson } from '../services/entra';
import { nominate, nominationSent, releaseNomination } from '../services/participants';
import type { Services } from '../services/services';
import { programmeFor } from './programmes';
import type { Turn } from './turn';

type Admin = Pick<Turn, 'tenantId' | 'userId' | 'userName' | 'locale'>;

/**
 * The nomination note and the form, in the person's language, for a claimed nomination: marked
 * sent, or given back (false) when Teams could not deliver them.
 */
async function sendNomination(svc: Services, by: Admin, programme: Programme, person: { id: string }, role: Role, directory?: DirectoryFacts): Promise<boolean> {
  try {
    const locale = (await contactOf(svc, by.tenantId, person.id))?.locale ?? by.locale;
    const name = escapeMarkdown(programme.name);
    const intro = notice({ locale }, t(locale, 'enrol.cardTitle', { name }), t(locale, 'enrol.cardIntro', { admin: escapeMarkdown(by.userName), role: roleLabel(locale, role), name }));
    await svc.notifier.sendToUser(by.tenantId, person.id, intro);
    await svc.notifier.sendToUser(by.tenantId, person.id, profileForm(locale, { programmes: [programme], fixedRole: role, formFor: person.id, directory }));
  } catch {
    await releaseNomination(svc, programme, person.id).catch(() => undefined);
    return false;
  }
  await nominationSent(svc, programme, person.id);
  return true;
}

export async function enrol(svc: Services, turn: Turn, args: string): Promise<void> {
  if (/^group\b/.test(args)) return enrolGroup(svc, turn, args.replace(/^group\b\s*/, ''));
  const L = turn.locale;
  const m = /^(?:.*?\s)?as\s+(mentor|mentee)\b\s*(.*)$/.exec(args);
  const person = turn.mentions[0];
  if (!m || !person) {
    await turn.send(notice(turn, t(L, 'enrol.usage'), '', 'error'));
    return;
  }
  const role = m[1] as Role;
  const programme = await programmeFor(svc, turn, m[2], ['open', 'matching', 'running']);
  if (!programme) return;
  const found = await lookUpPerson(svc, turn.tenantId, person.id);
  const directory = found.kind === 'found' ? found.facts : undefined;
  const result = await nominate(svc, programme, person, role, turn.userId, directory);
  const who = escapeMarkdown(person.name);
  const name = escapeMarkdown(programme.name);
  if (result.kind === 'already') {
    await turn.send(notice(turn, t(L, 'enrol.already', { person: who, name, role: roleLabel(L, result.participant.role) })));
    return;
  }
  const sent = await sendNomination(svc, turn, programme, person, role, directory);
  await turn.send(notice(turn, t(L, 'enrol.done', { person: who, role: roleLabel(L, role), name }), t(L, sent ? 'enrol.sent' : 'enrol.notSent'), 'success'));
}

/** Members whose cards are under way at once (the shared send budget paces the sends themselves). */
const GROUP_SENDS_AT_ONCE = 8;

/** "enrol group <display name or id> as mentor|mentee [programme]". */
async function enrolGroup(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const m = /^(.+?)\s+as\s+(mentor|mentee)\b\s*(.*)$/.exec(args);
  if (!m) {
    await turn.send(notice(turn, t(L, 'enrol.groupUsage'), '', 'error'));
    return;
  }
  const [, groupName, roleWord, programmeName] = m;
  const role = roleWord as Role;
  const programme = await programmeFor(svc, turn, programmeName, ['open', 'matching', 'running']);
  if (!programme) return;
  const group = escapeMarkdown(groupName.replace(/^["']|["']$/g, ''));
  const pick = await findGroup(svc, turn.tenantId, groupName.replace(/^["']|["']$/g, ''));
  if (pick.kind !== 'found') {
    const key = { off: 'enrol.directoryOff', unavailable: 'enrol.directoryDown', none: 'enrol.groupNone', ambiguous: 'enrol.groupAmbiguous' }[pick.kind];
    const ids = pick.kind === 'ambiguous' ? pick.groups.map((g) => g.id).join(', ') : '';
    await turn.send(notice(turn, t(L, key, { group, ids }), '', 'error'));
    return;
  }
  const people = await groupPeople(svc, turn.tenantId, pick.group.id);
  if (!people) {
    await turn.send(notice(turn, t(L, 'enrol.directoryDown'), '', 'error'));
    return;
  }
  const groupLabel = escapeMarkdown(pick.group.displayName);
  if (!people.length) {
    await turn.send(notice(turn, t(L, 'enrol.groupEmpty', { group: groupLabel }), '', 'error'));
    return;
  }
  const facts = { group: groupLabel, total: people.length, role: roleLabel(L, role), name: escapeMarkdown(programme.name) };
  // Two sends a member at the tenant's rate: a large group takes a while, so the admin's turn
  // ends here; the cards and then the summary follow (an interrupted run: run it again for the rest).
  const seconds = Math.ceil((2 * people.length) / svc.config.sendRatePerSecond);
  await turn.send(notice(turn, t(L, 'enrol.groupStarted', { ...facts, seconds }), t(L, 'enrol.groupLater')));
  const admin: Admin = { tenantId: turn.tenantId, userId: turn.userId, userName: turn.userName, locale: L };
  const conversationId = turn.conversationId;
  void nominateAll(svc, admin, programme, people, role)
    .then((n) => svc.notifier.sendToConversation(admin.tenantId, conversationId, notice({ locale: L }, t(L, 'enrol.groupDone', { ...facts, count: n.nominated }), t(L, 'enrol.groupDetails', n), 'success')))
    .catch((err) => console.error(`[enrol] group enrolment stopped: ${(err as Error)?.name ?? 'Error'}`));
}

/** Claims and sends each member's nomination; counts what happened. */
async function nominateAll(svc: Services, by: Admin, programme: Programme, people: Array<{ id: string; displayName: string; facts?: DirectoryFacts }>, role: Role) {
  const n = { nominated: 0, sent: 0, already: 0, unreachable: 0 };
  let next = 0;
  const worker = async () => {
    while (next < people.length) {
      const person = people[next++];
      // The row claims the card: a second run (or one racing this) finds it claimed and sends nothing.
      const result = await nominate(svc, programme, { id: person.id, name: person.displayName }, role, by.userId, person.facts);
      if (result.kind === 'already') n.already++;
      else {
        n.nominated++;
        if (await sendNomination(svc, by, programme, person, role, person.facts)) n.sent++;
        else n.unreachable++;
      }
    }
  };
  await Promise.all(Array.from({ length: GROUP_SENDS_AT_ONCE }, worker));
  return n;
}
