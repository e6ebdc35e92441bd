// What the people of a pair are told proactively: their introduction when the pair starts, and
// that it ended. Each in their own language.
import { escapeMarkdown } from '../cards/render';
import { introductionCard, pairEndedNotice } from '../cards/pairing';
import type { Pair, Programme } from '../domain/types';
import { contactOf, nameOf } from './contacts';
import { markIntroduced } from './pairs';
import { participantsOf } from './participants';
import type { Services } from './services';

/**
 * Sends both people of each pair their introduction. Callers pass only pairs they just
 * activated, so each introduction goes out once; each pair is then marked introduced, so an
 * approval resumed after a crash introduces only the rest. Returns the names that could not be reached.
 */
export async function introduce(svc: Services, programme: Programme, pairs: Pair[]): Promise<string[]> {
  if (!pairs.length) return [];
  const people = await participantsOf(svc, programme);
  const undelivered: string[] = [];
  for (const pair of pairs) {
    if (pair.introducedAt) continue;
    const mentor = people.find((p) => p.userId === pair.mentorId);
    const mentee = people.find((p) => p.userId === pair.menteeId);
    if (!mentor || !mentee) continue;
    for (const [me, other] of [[mentor, mentee], [mentee, mentor]]) {
      const [mine, theirs] = await Promise.all([contactOf(svc, programme.tenantId, me.userId), contactOf(svc, programme.tenantId, other.userId)]);
      try {
        await svc.notifier.sendToUser(programme.tenantId, me.userId, introductionCard(mine?.locale ?? 'en', programme, me, other, theirs?.upn));
      } catch {
        undelivered.push(escapeMarkdown(me.name || '?'));
      }
    }
    await markIntroduced(svc, programme, pair.id);
  }
  return undelivered;
}

/** Tells both people of an ended pair (an admin's unpair); undeliverable notes are skipped. */
export async function tellBothEnded(svc: Services, programme: Programme, pair: Pair): Promise<void> {
  for (const [id, partner] of [[pair.mentorId, pair.menteeId], [pair.menteeId, pair.mentorId]]) {
    const locale = (await contactOf(svc, programme.tenantId, id))?.locale ?? 'en';
    const partnerName = await nameOf(svc, programme.tenantId, partner);
    await svc.notifier.sendToUser(programme.tenantId, id, pairEndedNotice(locale, programme, partnerName, 'pairing.unpairedNote')).catch(() => undefined);
  }
}

/** Tells the partner of someone who erased their data that the pair ended; nothing the person wrote. */
export async function tellPartnerErased(svc: Services, programme: Programme, partnerId: string, name: string): Promise<void> {
  const locale = (await contactOf(svc, programme.tenantId, partnerId))?.locale ?? 'en';
  await svc.notifier.sendToUser(programme.tenantId, partnerId, pairEndedNotice(locale, programme, name, 'data.partnerNote')).catch(() => undefined);
}
