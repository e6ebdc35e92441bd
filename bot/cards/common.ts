// What many cards share: the notice card, the problems card of a refused form, and the translated
// labels of the programme model. People's own words are always escaped before they go in.
import type { Problem } from '../domain/validation';
import { businessItems } from '../domain/business';
import { Level, LEVELS, Locale, Participant, Programme, SENIORITY, WEEKDAYS } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, escapeMarkdown, renderCard } from './render';

/** Anything that knows the reader's language (a Turn, or { locale } for a proactive card). */
export type Reader = { locale: Locale };

export type Tone = 'info' | 'error' | 'success';

/** A short message card: a title, optional text and bullet items. */
export function notice(to: Reader, title: string, text = '', tone: Tone = 'info', items: string[] = []): Card {
  return renderCard('notice', { title, text, tone, items, actions: [] }, to.locale);
}

/** The error card for a refused submission: what to fix, field by field. Nothing was stored. */
export function problemsCard(to: Reader, problems: Problem[]): Card {
  const items = problems.map((p) => {
    const field = p.params?.field ? t(to.locale, `fields.${p.params.field}`) : '';
    return t(to.locale, `errors.${p.key}`, { ...p.params, field });
  });
  return notice(to, t(to.locale, 'errors.title'), '', 'error', [...new Set(items)]);
}

export const levelLabel = (locale: Locale, level: Level | number) => t(locale, `levelName.${level}`);
export const levelsLabel = (locale: Locale, levels: number[]) => levels.map((l) => levelLabel(locale, l)).join(', ');
export const roleLabel = (locale: Locale, role: string) => t(locale, `roles.${role}`);
export const statusLabel = (locale: Locale, status: string) => t(locale, `programmeStatus.${status}`);
export const dates = (locale: Locale, p: Pick<Programme, 'startDate' | 'endDate'>) => t(locale, 'programme.dates', { start: p.startDate, end: p.endDate });

export const levelChoices = (locale: Locale, levels: readonly number[] = LEVELS) => levels.map((l) => ({ title: levelLabel(locale, l), value: String(l) }));
export const weekdayChoices = (locale: Locale) => WEEKDAYS.map((d) => ({ title: t(locale, `weekday.${d}`), value: d }));
export const seniorityChoices = (locale: Locale) => SENIORITY.map((s) => ({ title: t(locale, `seniority.${s}`), value: s }));
export const skillChoices = (locale: Locale) => [0, 1, 2, 3].map((s) => ({ title: t(locale, `skill.${s}`), value: String(s) }));
/** Understanding of a business item: 0 not at all ... 3 could explain it to others. */
export const businessChoices = (locale: Locale) => [0, 1, 2, 3].map((s) => ({ title: t(locale, `business.scale.${s}`), value: String(s) }));
/** A business item's title in the reader's language; a removed item shows its id. */
export const businessTitle = (locale: Locale, id: string) => businessItems(locale).find((i) => i.id === id)?.title ?? id;

/** Who someone is, in people's own words: always escaped. */
export const who = (p: Pick<Participant, 'name'>) => escapeMarkdown(p.name || '?');

/** Translation whose string parameters are people's own words (names), escaped. */
export function tr(locale: Locale, keyPath: string, params: Record<string, string | number>): string {
  return t(locale, keyPath, Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' ? escapeMarkdown(v) : v])));
}

export { escapeMarkdown };
