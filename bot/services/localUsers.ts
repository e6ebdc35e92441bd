// Local mode only: everyone the tab's identity switcher may offer, read across tenants. The route
// that serves it exists only when no Entra app is configured (see bot/api/routes.ts).
import { odata } from '@azure/data-tables';
import type { LocalUser } from '../contract/tabApi';
import { key } from '../storage/repository';
import type { Services } from './services';

const LIVE = new Set(['nominated', 'active', 'paused']);

/** Every participant and admin in storage, grouped by person. */
export async function localUsers(svc: Services, tenantId?: string): Promise<LocalUser[]> {
  const t = tenantId ? key(tenantId) : undefined;
  const inTenant = t ? odata`PartitionKey eq ${t}` : odata`PartitionKey ne ${''}`;
  const [participants, admins, programmes, contacts] = await Promise.all([
    svc.store.participants.query(t ? odata`PartitionKey ge ${t} and PartitionKey lt ${t + '~'}` : odata`PartitionKey ne ${''}`),
    svc.store.admins.query(inTenant),
    svc.store.programmes.query(inTenant),
    svc.store.users.query(inTenant),
  ]);
  const programmeNames = new Map(programmes.map((p) => [`${p.value.tenantId}|${p.value.id}`, p.value.name]));
  const contactNames = new Map(contacts.map((c) => [`${c.value.tenantId}|${c.value.userId}`, c.value.name]));
  const users = new Map<string, LocalUser>();
  const get = (tenant: string, user: string, name: string) => {
    const k = `${tenant}|${user}`;
    let found = users.get(k);
    if (!found) users.set(k, (found = { tenantId: tenant, userId: user, name: '', roles: [], isAdmin: false }));
    // A configured admin's row has no name: the name Teams gave the bot does.
    found.name ||= name || contactNames.get(k) || '';
    return found;
  };
  for (const { value: p } of participants) {
    if (!LIVE.has(p.status)) continue;
    get(p.tenantId, p.userId, p.name).roles.push(`${p.role} (${programmeNames.get(`${p.tenantId}|${p.programmeId}`) ?? p.programmeId})`);
  }
  for (const { value: a } of admins) get(a.tenantId, a.userId, a.name).isAdmin = true;
  return [...users.values()].sort((a, b) => a.tenantId.localeCompare(b.tenantId) || (a.name || a.userId).localeCompare(b.name || b.userId));
}
