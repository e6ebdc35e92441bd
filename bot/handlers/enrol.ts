// "enrol @person as mentor|mentee": an admin nominates someone; they get a note and the
// profile form (the role fixed) in their 1:1 chat and still confirm by saving it.
import { notice, roleLabel } from '../cards/common';
import { profileForm } from '../cards/profile';
import { escapeMarkdown } from '../cards/render';
import type { Role } from '../domain/types';
import { t } from '../i18n/i18n';
import { contactOf } from '../services/contacts';
import { nominate } from '../services/participants';
import type { Services } from '../services/services';
import { programmeFor } from './programmes';
import type { Turn } from './turn';

export async function enrol(svc: Services, turn: Turn, args: string): Promise<void> {
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
  const result = await nominate(svc, programme, person, role, turn.userId);
  const who = escapeMarkdown(person.name);
  const name = escapeMarkdown(programme.name);
  if (result.kind === 'already') {
    await turn.send(notice(turn, t(L, 'enrol.already', { person: who, name, role: roleLabel(L, result.participant.role) })));
    return;
  }
  let sent = true;
  try {
    const locale = (await contactOf(svc, turn.tenantId, person.id))?.locale ?? L;
    const intro = notice({ locale }, t(locale, 'enrol.cardTitle', { name }), t(locale, 'enrol.cardIntro', { admin: escapeMarkdown(turn.userName), role: roleLabel(locale, role), name }));
    await svc.notifier.sendToUser(turn.tenantId, person.id, intro);
    await svc.notifier.sendToUser(turn.tenantId, person.id, profileForm(locale, { programmes: [programme], fixedRole: role, formFor: person.id }));
  } catch {
    sent = false;
  }
  await turn.send(notice(turn, t(L, 'enrol.done', { person: who, role: roleLabel(L, role), name }), t(L, sent ? 'enrol.sent' : 'enrol.notSent'), 'success'));
}
