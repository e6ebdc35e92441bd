// Data rights: "my data" (everything stored about you), "forget me" (erase, after a
// confirmation), "export" (admins: a programme's data as CSV).
//
// Teams cannot receive a file from a bot in a plain message (only through OneDrive file consent),
// and a link that carries the right to the file is a bearer token (forwarded, or fetched by a link
// scanner, it gives the file away). So the card opens the app's tab, which downloads through the
// SSO-authenticated tab API as whoever is signed in: there is no download link to leak.
import { notice } from '../cards/common';
import { exportCard, forgetConfirmCard, myDataCard } from '../cards/data';
import { escapeMarkdown } from '../cards/render';
import { PROGRAMME_STATUSES } from '../domain/types';
import { t } from '../i18n/i18n';
import { tellAdmins } from '../services/admins';
import { collectPersonalData, erasePerson } from '../services/data';
import { tellPartnerErased } from '../services/pairNotices';
import { isLivePair, pairsIn } from '../services/pairs';
import type { Services } from '../services/services';
import { programmeFor } from './programmes';
import { tabLink } from './tabLinks';
import { replaceCard, sendPrivately, Turn } from './turn';

/** A confirmation card is good for an hour. */
const CONFIRM_TTL_MS = 60 * 60 * 1000;

const sendPrivatelyAs = (svc: Services, turn: Turn, card: ReturnType<typeof notice>, command: string) =>
  sendPrivately(svc, turn, card, 'data.sentPrivately', 'data.installFirst', command);

export async function myData(svc: Services, turn: Turn): Promise<void> {
  const data = await collectPersonalData(svc, turn.tenantId, turn.userId);
  const stored = {
    contact: !!data.contact,
    profiles: data.programmes.filter((p) => p.participant).length,
    pairs: data.programmes.reduce((n, p) => n + p.pairs.length, 0),
    checkins: data.programmes.reduce((n, p) => n + p.checkins.length, 0),
    progress: data.progress.length,
    sessions: data.programmes.reduce((n, p) => n + p.sessions.length, 0),
    admin: !!data.admin,
  };
  await sendPrivatelyAs(svc, turn, myDataCard(turn.locale, stored, tabLink(svc.config, { view: 'data' })), 'my data');
}

export async function forgetMe(svc: Services, turn: Turn): Promise<void> {
  await sendPrivatelyAs(svc, turn, forgetConfirmCard(turn.locale, turn.userId, svc.now()), 'forget me');
}

export async function cancelForget(_svc: Services, turn: Turn): Promise<void> {
  await replaceCard(turn, notice(turn, t(turn.locale, 'data.forgetCancelled')));
}

export async function confirmForget(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const L = turn.locale;
  // The card names who it was made for: a forwarded or forged one erases nothing.
  if (value.formFor !== turn.userId) {
    await turn.send(notice(turn, t(L, 'data.forgetNotYou'), '', 'error'));
    return;
  }
  const issued = typeof value.issuedAt === 'string' && value.issuedAt.length < 40 ? Date.parse(value.issuedAt) : NaN;
  const age = svc.now().getTime() - issued;
  if (!Number.isFinite(issued) || age > CONFIRM_TTL_MS || age < -5 * 60 * 1000) {
    await turn.send(notice(turn, t(L, 'data.forgetExpired'), '', 'error'));
    return;
  }
  const result = await erasePerson(svc, turn.tenantId, turn.userId);
  const items = [
    t(L, 'data.forgetDoneDetails', { programmes: result.counts.programmes, checkins: result.counts.checkins, progress: result.counts.progress, pairs: result.endedPairs.length }),
    ...(result.configuredAdmin ? [t(L, 'data.forgetConfiguredAdmin')] : []),
    ...(result.organisedSeries ? [t(L, 'data.forgetSessions')] : []),
  ];
  await replaceCard(turn, notice(turn, t(L, 'data.forgetDone'), '', 'success', items));
  // Partners and admins hear that the pair ended; nobody hears anything the person wrote.
  for (const ended of result.endedPairs) {
    await tellPartnerErased(svc, ended.programme, ended.partnerId, turn.userName, ended.sessions);
    await tellAdmins(svc, turn.tenantId, (l) => notice({ locale: l }, t(l, 'data.adminNote', { name: escapeMarkdown(ended.programme.name), partner: escapeMarkdown(ended.partnerName) }))).catch(() => undefined);
  }
}

export async function exportProgramme(svc: Services, turn: Turn, args: string): Promise<void> {
  const programme = await programmeFor(svc, turn, args, [...PROGRAMME_STATUSES]);
  if (!programme) return;
  const pairs = (await pairsIn(svc, programme)).filter(isLivePair).length;
  await sendPrivatelyAs(svc, turn, exportCard(turn.locale, programme, pairs, tabLink(svc.config, { view: 'admin', programmeId: programme.id })), 'export');
}
