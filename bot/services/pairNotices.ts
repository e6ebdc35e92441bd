// What the people of a pair and the admins are told proactively when a pair starts, pauses,
// resumes or ends. Each in their own language, once per change.
import { changeNotice, introductionCard, pairEndedNotice } from '../cards/pairing';
import { Card, escapeMarkdown } from '../cards/render';
import { scheduleLink } from '../cards/sessions';
import type { Locale, Pair, Programme } from '../domain/types';
import { listAdmins, tellAdmins } from './admins';
import { contactOf, nameOf } from './contacts';
import { markIntroduced } from './pairs';
import { participantsOf } from './participants';
import { bookedSeriesOwner, SeriesOwner, seriesOf } from './sessions';
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
        const schedule = svc.calendars.enabled ? scheduleLink(svc.config, programme.id, other.userId) : '';
        await svc.notifier.sendToUser(programme.tenantId, me.userId, introductionCard(mine?.locale ?? 'en', programme, me, other, theirs?.upn, schedule));
      } catch {
        undelivered.push(escapeMarkdown(me.name || '?'));
      }
    }
    await markIntroduced(svc, programme, pair.id);
  }
  return undelivered;
}

/** Tells both people of an ended pair (an admin's unpair), with what to do about booked sessions; undeliverable notes are skipped. */
export async function tellBothEnded(svc: Services, programme: Programme, pair: Pair): Promise<void> {
  const series = (await seriesOf(svc, programme, pair.id))?.value;
  for (const [id, partner] of [[pair.mentorId, pair.menteeId], [pair.menteeId, pair.mentorId]]) {
    const locale = (await contactOf(svc, programme.tenantId, id))?.locale ?? 'en';
    const partnerName = await nameOf(svc, programme.tenantId, partner);
    const card = pairEndedNotice(locale, programme, partnerName, 'pairing.unpairedNote', bookedSeriesOwner(series, id));
    await svc.notifier.sendToUser(programme.tenantId, id, card).catch(() => undefined);
  }
}

/** Tells the partner of someone who erased their data that the pair ended; nothing the person wrote. */
export async function tellPartnerErased(svc: Services, programme: Programme, partnerId: string, name: string, sessions?: SeriesOwner): Promise<void> {
  const locale = (await contactOf(svc, programme.tenantId, partnerId))?.locale ?? 'en';
  await svc.notifier.sendToUser(programme.tenantId, partnerId, pairEndedNotice(locale, programme, name, 'data.partnerNote', sessions)).catch(() => undefined);
}

export type PairChange = { kind: 'left' } | { kind: 'paused'; until?: string } | { kind: 'resumed'; automatically: boolean };

/**
 * Someone's pairs changed (they left, paused or resumed): each partner is told in their own
 * language, the person too when the scheduler resumed them, and the admins once, naming the partners.
 */
export async function tellPairChange(svc: Services, programme: Programme, person: { id: string; name: string }, pairs: Pair[], change: PairChange): Promise<void> {
  const tenantId = programme.tenantId;
  const partnerIds = pairs.map((p) => (p.mentorId === person.id ? p.menteeId : p.mentorId));
  const partnerNames = await Promise.all(partnerIds.map((id) => nameOf(svc, tenantId, id)));
  const localeOf = async (id: string) => (await contactOf(svc, tenantId, id))?.locale ?? 'en';
  const send = async (to: string, card: (locale: Locale) => Card) => svc.notifier.sendToUser(tenantId, to, card(await localeOf(to))).catch(() => undefined);
  // Someone left: a pair's booked sessions stay in Outlook, and the partner hears what to do.
  const series = change.kind === 'left' ? await Promise.all(pairs.map(async (p) => (await seriesOf(svc, programme, p.id))?.value)) : [];
  await Promise.all(partnerIds.map((id, i) => send(id, (l) => changeNotice(l, programme, change, person.name, 'partner', [], bookedSeriesOwner(series[i], id)))));
  if (change.kind === 'resumed' && change.automatically) await send(person.id, (l) => changeNotice(l, programme, change, person.name, 'self'));
  await tellAdmins(svc, tenantId, (l) => changeNotice(l, programme, change, person.name, 'admin', partnerNames));
}

/** An admin ended or made a pair by hand: the other admins hear it (the people of the pair are told by the unpair or the introduction). */
export async function tellOtherAdmins(svc: Services, programme: Programme, adminId: string, card: (locale: Locale) => Card): Promise<void> {
  const others = (await listAdmins(svc, programme.tenantId)).filter((a) => a.userId !== adminId);
  await Promise.all(
    others.map(async (a) => {
      const locale = (await contactOf(svc, programme.tenantId, a.userId))?.locale ?? 'en';
      await svc.notifier.sendToUser(programme.tenantId, a.userId, card(locale)).catch(() => undefined);
    }),
  );
}
