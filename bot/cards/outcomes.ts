// Measuring what a programme changed, on cards: the mentor's start card (their understanding of
// the business when they join) and "my progress" (a person's own change, start -> end).
import type { ChangeRow, MyProgress } from '../contract/tabApi';
import type { Locale, Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { ratingRows } from './checkins';
import { roleLabel } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

export function businessStartCard(locale: Locale, programme: Pick<Programme, 'id' | 'name' | 'levels'>, userId: string): Card {
  return renderCard(
    'business-start',
    { title: t(locale, 'business.startTitle', { programme: escapeMarkdown(programme.name) }), ratings: ratingRows(locale, programme, 'mentor'), programmeId: programme.id, forUser: userId },
    locale,
  );
}

/** A 0-3 answer in words: the self-assessment scale for levels, the understanding scale for business items. */
export const ratingLabel = (locale: Locale, measures: MyProgress['measures'], v: number): string => t(locale, measures === 'levels' ? `skill.${v}` : `business.scale.${v}`);

function rowValue(locale: Locale, p: MyProgress, r: ChangeRow): string {
  const word = (v: number | undefined, missing: string) => (v === undefined ? t(locale, missing) : ratingLabel(locale, p.measures, v));
  const before = word(r.before, 'progress.notRated');
  const after = word(r.after, 'progress.atEnd');
  return r.mid !== undefined ? t(locale, 'progress.valueMid', { before, mid: ratingLabel(locale, p.measures, r.mid), after }) : t(locale, 'progress.value', { before, after });
}

/** "my progress": per programme, the person's start and end per level or item, and what they did. */
export function progressCard(locale: Locale, progress: MyProgress[], tabUrl: string): Card {
  const L = locale;
  const programmes = progress.map((p) => ({
    name: t(L, 'progress.programme', { name: escapeMarkdown(p.programme.name), role: roleLabel(L, p.role) }),
    heading: t(L, p.measures === 'levels' ? 'progress.levelsHeading' : 'progress.businessHeading'),
    rows: p.rows.map((r) => ({ title: escapeMarkdown(r.title), value: rowValue(L, p, r) })),
    activity: t(L, 'progress.activity', { sessions: p.sessionsHeld, tutorials: p.tutorialsCovered.length, checkins: p.checkinsAnswered }),
    note: p.canRateStart ? t(L, 'progress.startMissing') : p.start === 'profile' ? t(L, 'progress.startProfile') : p.survey === 'asked' ? t(L, 'progress.surveyAsked') : '',
  }));
  return renderCard('my-progress', { programmes, tabUrl }, L);
}
