// Who may run admin commands: stored per tenant (added with `admins add`), plus BOT_ADMINS, who
// are admins in every tenant and are written into its table the first time the tenant is seen.
import type { Card } from '../cards/render';
import type { Admin, Locale } from '../domain/types';
import { AlreadyExistsError, key } from '../storage/repository';
import { contactOf } from './contacts';
import { inAdminGroup } from './entra';
import type { Services } from './services';

const seeded = new Set<string>();

/** Writes the configured admins into the tenant's admins table once per process. */
export async function seedConfiguredAdmins(svc: Services, tenantId: string): Promise<void> {
  const configured = svc.config.botAdmins;
  if (!configured.length || seeded.has(tenantId)) return;
  const now = svc.now().toISOString();
  await Promise.all(
    configured.map(async (userId) => {
      const admin: Admin = { tenantId, userId, name: '', addedBy: 'BOT_ADMINS', addedAt: now, source: 'config' };
      try {
        await svc.store.admins.create(admin);
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }),
  );
  seeded.add(tenantId);
}

/** The one test of admin rights, for commands, card buttons and the tab API alike (BOT_ADMINS, the admins table, BOT_ADMIN_GROUP). */
export async function isAdmin(svc: Services, tenantId: string, userId: string): Promise<boolean> {
  return (
    svc.config.botAdmins.includes(userId) ||
    (await svc.store.admins.get(key(tenantId), key(userId))) !== undefined ||
    (await inAdminGroup(svc, tenantId, userId))
  );
}

export async function listAdmins(svc: Services, tenantId: string): Promise<Admin[]> {
  return (await svc.store.admins.list(key(tenantId))).map((a) => a.value);
}

export async function addAdmin(svc: Services, tenantId: string, person: { id: string; name: string }, by: string): Promise<'added' | 'already'> {
  if (await svc.store.admins.get(key(tenantId), key(person.id))) return 'already';
  await svc.store.admins.upsert({ tenantId, userId: person.id, name: person.name, addedBy: by, addedAt: svc.now().toISOString(), source: 'command' });
  return 'added';
}

export type RemoveAdmin = 'removed' | 'notAdmin' | 'configured' | 'self';

export async function removeAdmin(svc: Services, tenantId: string, personId: string, by: string): Promise<RemoveAdmin> {
  const existing = await svc.store.admins.get(key(tenantId), key(personId));
  if (!existing) return 'notAdmin';
  if (existing.value.source === 'config') return 'configured';
  if (personId === by) return 'self';
  await svc.store.admins.delete(key(tenantId), key(personId), existing.etag);
  return 'removed';
}

/** A card to every admin of the tenant, each in their own language; undeliverable ones are skipped (status shows health anyway). */
export async function tellAdmins(svc: Services, tenantId: string, card: (locale: Locale) => Card): Promise<void> {
  const admins = await listAdmins(svc, tenantId);
  await Promise.all(
    admins.map(async (a) => {
      const locale = (await contactOf(svc, tenantId, a.userId))?.locale ?? 'en';
      await svc.notifier.sendToUser(tenantId, a.userId, card(locale)).catch(() => undefined);
    }),
  );
}
