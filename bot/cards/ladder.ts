// The "ladder" card: each programme's ladder in short, the next suggested session, and a button
// into the personal tab for the full view.
import type { LadderView } from '../domain/types';
import type { Locale, Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, escapeMarkdown, renderCard } from './render';

export function ladderCard(locale: Locale, ladders: Array<{ programme: Programme; view: LadderView }>, tabUrl: string): Card {
  const L = locale;
  const programmes = ladders.map(({ programme, view }) => ({
    name: t(L, 'ladder.programme', { name: escapeMarkdown(programme.name || '?'), done: view.done, total: view.total, percent: view.percent }),
    levels: view.levels.map((lv) => ({
      title: `${lv.level} · ${lv.title}${lv.wanted ? ` (${t(L, 'ladder.wanted')})` : ''}`,
      progress: t(L, 'ladder.levelProgress', { done: lv.done, total: lv.total }),
      complete: lv.complete,
    })),
    next: view.next ? `${view.next.title} (${view.next.durationMinutes} min)` : '',
    nextGoal: view.next?.goal ?? '',
    nextActivities: view.next?.activities ?? [],
  }));
  return renderCard('ladder', { programmes, tabUrl }, L);
}
