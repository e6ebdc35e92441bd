// Who may run admin commands: stored per tenant; BOT_ADMINS are seeded into every tenant.
import { key, AlreadyExistsError } from '../storage/repository';
import type { Store } from '../storage/store';
import type { Admin } from '../domain/types';

const seeded = new Set<string>();

/** Writes the configured admins into the tenant's admins table once per process. */
export async function seedConfiguredAdmins(store: Store, tenantId: string, configured: string[], now: Date): Promise<void> {
  const marker = `${tenantId}`;
  if (!configured.length || seeded.has(marker)) return;
  await Promise.all(
    configured.map(async (userId) => {
      const admin: Admin = { tenantId, userId, name: '', addedBy: 'BOT_ADMINS', addedAt: now.toISOString(), source: 'config' };
      try {
        await store.admins.create(admin);
      } catch (err) {
        if (!(err instanceof AlreadyExistsError)) throw err;
      }
    }),
  );
  seeded.add(marker);
}

export async function isAdmin(store: Store, tenantId: string, userId: string): Promise<boolean> {
  return (await store.admins.get(key(tenantId), key(userId))) !== undefined;
}

export async function listAdmins(store: Store, tenantId: string): Promise<Admin[]> {
  return (await store.admins.list(key(tenantId))).map((a) => a.value);
}
