// "admins", "admins add @person", "admins remove @person".
import { adminsCard } from '../cards/admins';
import { notice } from '../cards/common';
import { escapeMarkdown } from '../cards/render';
import { t } from '../i18n/i18n';
import { addAdmin, listAdmins, removeAdmin } from '../services/admins';
import { nameOf } from '../services/contacts';
import type { Services } from '../services/services';
import type { Turn } from './turn';

const REMOVED: Record<Awaited<ReturnType<typeof removeAdmin>>, string> = {
  removed: 'admins.removed', notAdmin: 'admins.notAdmin', configured: 'admins.cannotRemoveConfigured', self: 'admins.cannotRemoveSelf',
};

export async function admins(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const verb = args.split(' ')[0];
  const person = turn.mentions[0];
  let note = '';
  if (verb === 'add' || verb === 'remove') {
    if (!person) {
      await turn.send(notice(turn, t(L, 'admins.usage'), '', 'error'));
      return;
    }
    const name = escapeMarkdown(person.name);
    if (verb === 'add') note = t(L, (await addAdmin(svc, turn.tenantId, person, turn.userId)) === 'added' ? 'admins.added' : 'admins.alreadyAdmin', { person: name });
    else note = t(L, REMOVED[await removeAdmin(svc, turn.tenantId, person.id, turn.userId)], { person: name });
  } else if (args) {
    await turn.send(notice(turn, t(L, 'admins.usage'), '', 'error'));
    return;
  }
  const list = await listAdmins(svc, turn.tenantId);
  const named = await Promise.all(list.map(async (admin) => ({ admin, name: admin.name || (await nameOf(svc, turn.tenantId, admin.userId)) || admin.userId })));
  await turn.send(adminsCard(turn, note, named));
}
