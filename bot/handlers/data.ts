// Data rights: "my data" (everything stored about you), "forget me" (erase, after a
// confirmation), "export" (admins: a programme's data as CSV).
//
// Teams cannot receive a file from a bot in a plain message (only through OneDrive file consent),
// and a link that carries the right to the file is a bearer token (forwarded, or fetched by a link
// scanner, it gives the file away). So the card opens the app's tab, which downloads through the
// SSO-authenticated tab API as whoever is signed in: there is no download link to leak.
import { escapeMarkdown, renderCard, type Card } from '../cards/render';
import { PROGRAMME_STATUSES } from '../domain/types';
import { t } from '../i18n/i18n';
import { contactOf } from '../services/contacts';
import { collectPersonalData, erasePerson } from '../services/data';
import type { Services } from '../services/services';
import { programmePartition } from '../storage/store';
import { tellAdmins } from './onboarding';
import { programmeFor } from './programmes';
import { notice, onCommand, onSubmit } from './router';
import { tabLink } from './tabLinks';
import type { Turn } from './turn';

/** A confirmation card is good for an hour. */
const CONFIRM_TTL_MS = 60 * 60 * 1000;

/** Personal things go to the person's 1:1 chat only; in a channel or group chat they are told so. */
async function sendPrivately(turn: Turn, svc: Services, card: Card, command: string): Promise<void> {
  if (turn.scope === 'personal') {
    await turn.send(card);
    return;
  }
  const person = escapeMarkdown(turn.userName);
  try {
    await svc.notifier.sendToUser(turn.tenantId, turn.userId, card);
    await turn.send(notice(turn, t(turn.locale, 'data.sentPrivately', { person })));
  } catch {
    await turn.send(notice(turn, t(turn.locale, 'data.installFirst', { person, command })));
  }
}

// ---------------------------------------------------------------- my data

onCommand('myData', async (turn, svc) => {
  const L = turn.locale;
  const data = await collectPersonalData(svc, turn.tenantId, turn.userId);
  const count = (n: number) => ({ count: n });
  const items = [
    ...(data.contact ? [t(L, 'data.itemContact')] : []),
    t(L, 'data.itemProgrammes', count(data.programmes.filter((p) => p.participant).length)),
    t(L, 'data.itemPairs', count(data.programmes.reduce((n, p) => n + p.pairs.length, 0))),
    t(L, 'data.itemCheckins', count(data.programmes.reduce((n, p) => n + p.checkins.length, 0))),
    t(L, 'data.itemProgress', count(data.progress.length)),
    ...(data.admin ? [t(L, 'data.itemAdmin')] : []),
  ];
  const card = renderCard(
    'download',
    { title: t(L, 'data.myDataTitle'), text: t(L, 'data.myDataText'), items, note: t(L, 'data.tabNote'), button: t(L, 'data.download'), url: tabLink(svc.config, { view: 'data' }) },
    L,
  );
  await sendPrivately(turn, svc, card, 'my data');
});

// ---------------------------------------------------------------- forget me

function forgetCard(turn: Turn, svc: Services): Card {
  const L = turn.locale;
  return renderCard(
    'forget-confirm',
    {
      title: t(L, 'data.forgetTitle'),
      text: t(L, 'data.forgetText'),
      items: ['forgetItemProfile', 'forgetItemAnswers', 'forgetItemLadder', 'forgetItemContact'].map((k) => t(L, `data.${k}`)),
      pairs: t(L, 'data.forgetPairs'),
      kept: t(L, 'data.forgetKept'),
      confirm: t(L, 'data.forgetConfirm'),
      cancel: t(L, 'common.cancel'),
      formFor: turn.userId,
      issuedAt: svc.now().toISOString(),
    },
    L,
  );
}

onCommand('forgetMe', async (turn, svc) => sendPrivately(turn, svc, forgetCard(turn, svc), 'forget me'));

/** Replaces the confirmation card by `card` in place, or sends it. */
async function answerInPlace(turn: Turn, card: Card): Promise<void> {
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
}

onSubmit('data.forgetCancel', async (turn) => {
  await answerInPlace(turn, notice(turn, t(turn.locale, 'data.forgetCancelled')));
});

onSubmit('data.forget', async (turn, svc, value) => {
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
    t(L, 'data.forgetDoneDetails', {
      programmes: result.counts.programmes,
      checkins: result.counts.checkins,
      progress: result.counts.progress,
      pairs: result.endedPairs.length,
    }),
    ...(result.configuredAdmin ? [t(L, 'data.forgetConfiguredAdmin')] : []),
  ];
  await answerInPlace(turn, notice(turn, t(L, 'data.forgetDone'), '', 'success', items));

  // Partners and admins hear that the pair ended; nobody hears anything the person wrote.
  const name = escapeMarkdown(turn.userName);
  for (const ended of result.endedPairs) {
    const contact = await contactOf(svc.store, turn.tenantId, ended.partnerId).catch(() => undefined);
    const locale = contact?.locale ?? 'en';
    const text = t(locale, 'data.partnerNote', { partner: name, name: escapeMarkdown(ended.programme.name) });
    await svc.notifier
      .sendToUser(turn.tenantId, ended.partnerId, renderCard('notice', { title: text, text: '', tone: 'info', items: [], actions: [] }, locale))
      .catch(() => undefined);
    await tellAdmins(svc, turn.tenantId, (l) => t(l, 'data.adminNote', { name: escapeMarkdown(ended.programme.name), partner: escapeMarkdown(ended.partnerName) })).catch(
      () => undefined,
    );
  }
});

// ---------------------------------------------------------------- export (admins)

onCommand('export', async (turn, svc, args) => {
  const L = turn.locale;
  const programme = await programmeFor(turn, svc, args, [...PROGRAMME_STATUSES]);
  if (!programme) return;
  const pairs = await svc.store.pairs.list(programmePartition(programme.tenantId, programme.id), "status ne 'proposed' and status ne 'ended'");
  const card = renderCard(
    'download',
    {
      title: t(L, 'data.exportTitle', { name: escapeMarkdown(programme.name) }),
      text: t(L, 'data.exportText', { count: pairs.length }),
      items: [],
      note: t(L, 'data.exportNote'),
      button: t(L, 'data.exportButton'),
      url: tabLink(svc.config, { view: 'admin', programmeId: programme.id }),
    },
    L,
  );
  await sendPrivately(turn, svc, card, 'export');
});
