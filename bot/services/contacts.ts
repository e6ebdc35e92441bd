// Conversation references for proactive messages, written only when they change.
import type { Locale, UserContact } from '../domain/types';
import { key } from '../storage/repository';
import type { Store } from '../storage/store';

const lastWritten = new Map<string, string>();

export async function rememberUser(
  store: Store,
  c: { tenantId: string; userId: string; name: string; locale: Locale; conversationRef: string },
  now: Date,
  resolveUpn: () => Promise<string | undefined> = async () => undefined,
): Promise<void> {
  const cacheKey = `${c.tenantId}|${c.userId}`;
  const fingerprint = `${c.name}|${c.locale}|${c.conversationRef}`;
  if (lastWritten.get(cacheKey) === fingerprint) return;
  const existing = await store.users.get(key(c.tenantId), key(c.userId));
  const upn = existing?.value.upn ?? (await resolveUpn().catch(() => undefined));
  const contact: UserContact = { ...existing?.value, ...c, ...(upn ? { upn } : {}), unreachable: false, updatedAt: now.toISOString() };
  await store.users.upsert(contact);
  lastWritten.set(cacheKey, fingerprint);
}

const knownServiceUrls = new Map<string, string>();

export async function rememberServiceUrl(store: Store, tenantId: string, serviceUrl: string, now: Date): Promise<void> {
  if (!serviceUrl || knownServiceUrls.get(tenantId) === serviceUrl) return;
  await store.tenants.upsert({ tenantId, serviceUrl, updatedAt: now.toISOString() });
  knownServiceUrls.set(tenantId, serviceUrl);
}

export async function contactOf(store: Store, tenantId: string, userId: string): Promise<UserContact | undefined> {
  return (await store.users.get(key(tenantId), key(userId)))?.value;
}

/** Forgets the write cache (after an erase, or in tests that restart storage). */
export function forgetContactCache(tenantId?: string, userId?: string): void {
  if (tenantId && userId) lastWritten.delete(`${tenantId}|${userId}`);
  else {
    lastWritten.clear();
    knownServiceUrls.clear();
  }
}
