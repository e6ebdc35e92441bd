// Data rights cards: "my data" (what is stored, and a button into the tab that downloads it),
// the "forget me" confirmation, and the admins' export card.
import type { Locale, Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, escapeMarkdown, renderCard } from './render';

/** What is stored about the person, counted. */
export interface StoredCounts {
  contact: boolean;
  profiles: number;
  pairs: number;
  checkins: number;
  progress: number;
  /** Session series booked through the app (as organiser or attendee). */
  sessions: number;
  admin: boolean;
}

export function myDataCard(locale: Locale, stored: StoredCounts, url: string): Card {
  const L = locale;
  const count = (n: number) => ({ count: n });
  const items = [
    ...(stored.contact ? [t(L, 'data.itemContact')] : []),
    t(L, 'data.itemProgrammes', count(stored.profiles)),
    t(L, 'data.itemPairs', count(stored.pairs)),
    t(L, 'data.itemCheckins', count(stored.checkins)),
    t(L, 'data.itemProgress', count(stored.progress)),
    ...(stored.sessions ? [t(L, 'data.itemSessions', count(stored.sessions))] : []),
    ...(stored.admin ? [t(L, 'data.itemAdmin')] : []),
  ];
  return renderCard('download', { title: t(L, 'data.myDataTitle'), text: t(L, 'data.myDataText'), items, note: t(L, 'data.tabNote'), button: t(L, 'data.download'), url }, L);
}

/** The confirmation before erasing: made for one person, dated, so a forwarded or old one erases nothing. */
export function forgetConfirmCard(locale: Locale, formFor: string, issuedAt: Date): Card {
  const L = locale;
  return renderCard(
    'forget-confirm',
    {
      title: t(L, 'data.forgetTitle'),
      text: t(L, 'data.forgetText'),
      items: ['forgetItemProfile', 'forgetItemAnswers', 'forgetItemLadder', 'forgetItemSessions', 'forgetItemContact'].map((k) => t(L, `data.${k}`)),
      pairs: t(L, 'data.forgetPairs'),
      kept: t(L, 'data.forgetKept'),
      confirm: t(L, 'data.forgetConfirm'),
      cancel: t(L, 'common.cancel'),
      formFor,
      issuedAt: issuedAt.toISOString(),
    },
    L,
  );
}

export function exportCard(locale: Locale, programme: Programme, pairs: number, url: string): Card {
  const L = locale;
  return renderCard(
    'download',
    { title: t(L, 'data.exportTitle', { name: escapeMarkdown(programme.name) }), text: t(L, 'data.exportText', { count: pairs }), items: [], note: t(L, 'data.exportNote'), button: t(L, 'data.exportButton'), url },
    L,
  );
}
