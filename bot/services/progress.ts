// The tutorial ladder's progress per person: set from the tab, marked done by check-ins.
import { odata } from '@azure/data-tables';
import type { TutorialStatus } from '../domain/types';
import { key, keyPart } from '../storage/repository';
import type { Services } from './services';

/** A person's ladder: tutorial id -> status, for the tutorials they have touched. */
export async function progressOf(svc: Services, tenantId: string, userId: string): Promise<Map<string, TutorialStatus>> {
  const rows = await svc.store.progress.project(odata`PartitionKey eq ${key(tenantId, userId)}`, ['tutorialId', 'status']);
  return new Map(rows.map((r) => [r.tutorialId, r.status]));
}

/** The ladders of several people of a tenant: one range scan over the tenant's progress partitions. */
export async function progressOfMany(svc: Services, tenantId: string, userIds: string[]): Promise<Map<string, Map<string, TutorialStatus>>> {
  const out = new Map<string, Map<string, TutorialStatus>>(userIds.map((u) => [u, new Map()]));
  if (!userIds.length) return out;
  // Progress partitions are `<tenant>|<user>`; '}' is the character after '|'.
  const t = keyPart(tenantId);
  for (const { value } of await svc.store.progress.query(odata`PartitionKey ge ${`${t}|`} and PartitionKey lt ${`${t}}`}`)) {
    out.get(value.userId)?.set(value.tutorialId, value.status);
  }
  return out;
}

/** One tutorial's status, as the mentee or their mentor set it in the tab. */
export async function setProgress(svc: Services, tenantId: string, userId: string, tutorialId: string, status: TutorialStatus): Promise<void> {
  await svc.store.progress.upsert({ tenantId, userId, tutorialId, status, source: 'tab', updatedAt: svc.now().toISOString() });
}

/** Tutorials a check-in covered count as done; `ladder` is the mentee's current one (read by the caller). */
export async function markDone(svc: Services, tenantId: string, menteeId: string, tutorialIds: string[], ladder: Map<string, TutorialStatus>, at: string): Promise<void> {
  const newlyDone = tutorialIds.filter((id) => ladder.get(id) !== 'done');
  // One partition (the mentee's ladder): one write for up to 100 tutorials.
  for (let i = 0; i < newlyDone.length; i += 100) {
    await svc.store.progress.transaction(newlyDone.slice(i, i + 100).map((tutorialId) => ['upsert', { tenantId, userId: menteeId, tutorialId, status: 'done', source: 'checkin', updatedAt: at }]));
  }
}
