// How the bot reaches people and what it calls them: conversation references for proactive
// messages (written only when they change), the tenant's Bot Connector endpoint, display names.
// What a contact says is read from storage each time, not remembered here: another instance may
// have marked the person unreachable or erased them since.
import type { Locale, Participant, UserContact } from '../domain/types';
import { key } from '../storage/repository';
import type { Services } from './services';

export async function rememberUser(
  svc: Services,
  c: { tenantId: string; userId: string; name: string; locale: Locale; conversationRef: string },
  resolveUpn: () => Promise<string | undefined> = async () => undefined,
): Promise<void> {
  const existing = await svc.store.users.get(key(c.tenantId), key(c.userId));
  const e = existing?.value;
  if (e && e.name === c.name && e.locale === c.locale && e.conversationRef === c.conversationRef && !e.unreachable) return;
  const upn = existing?.value.upn ?? (await resolveUpn().catch(() => undefined));
  const contact: UserContact = { ...existing?.value, ...c, ...(upn ? { upn } : {}), unreachable: false, updatedAt: svc.now().toISOString() };
  await svc.store.users.upsert(contact);
}

const knownServiceUrls = new Map<string, string>();

export async function rememberServiceUrl(svc: Services, tenantId: string, serviceUrl: string): Promise<void> {
  if (!serviceUrl || knownServiceUrls.get(tenantId) === serviceUrl) return;
  await svc.store.tenants.upsert({ tenantId, serviceUrl, updatedAt: svc.now().toISOString() });
  knownServiceUrls.set(tenantId, serviceUrl);
}

/** The tenant's Bot Connector endpoint, learnt from its last activity. */
export async function serviceUrlOf(svc: Services, tenantId: string): Promise<string | undefined> {
  return (await svc.store.tenants.get(key(tenantId), 'settings'))?.value.serviceUrl;
}

export async function contactOf(svc: Services, tenantId: string, userId: string): Promise<UserContact | undefined> {
  return (await svc.store.users.get(key(tenantId), key(userId)))?.value;
}

/** A send created the person's 1:1 chat: keep its reference unless one was stored meanwhile. */
export async function rememberReference(svc: Services, tenantId: string, userId: string, conversationRef: string): Promise<void> {
  const updatedAt = svc.now().toISOString();
  await svc.store.users.mutate(key(tenantId), key(userId), (u) => (u?.conversationRef ? undefined : { tenantId, userId, name: '', locale: 'en', ...u, conversationRef, updatedAt }));
}

/** Teams said the person cannot be reached (blocked or uninstalled the bot): admins see it in status. */
export async function markUnreachable(svc: Services, tenantId: string, userId: string): Promise<void> {
  await svc.store.users.mutate(key(tenantId), key(userId), (u) => (u && !u.unreachable ? { ...u, unreachable: true } : undefined));
}

/** Contacts of the tenant that Teams said cannot be reached. */
export async function unreachableIn(svc: Services, tenantId: string): Promise<Set<string>> {
  return new Set((await svc.store.users.list(key(tenantId), 'unreachable eq true')).map((u) => u.value.userId));
}

/** Display name: the programme profile's, else the contact's, else empty. */
export async function nameOf(svc: Services, tenantId: string, userId: string, participant?: Pick<Participant, 'name'>): Promise<string> {
  if (participant?.name) return participant.name;
  return (await contactOf(svc, tenantId, userId))?.name || '';
}

/** Forgets the tenants' endpoints this process wrote (tests that restart storage). */
export function forgetContactCache(): void {
  knownServiceUrls.clear();
}
