// Shared bits of card data: translated labels for the programme model, problem lists.
import { escapeMarkdown, renderCard } from '../cards/render';
import type { Problem } from '../domain/validation';
import { Level, Locale, Participant, Programme, SENIORITY, WEEKDAYS, LEVELS } from '../domain/types';
import { t } from '../i18n/i18n';
import type { Turn } from './turn';

export const levelLabel = (locale: Locale, level: Level | number) => t(locale, `levelName.${level}`);
export const levelsLabel = (locale: Locale, levels: number[]) => levels.map((l) => levelLabel(locale, l)).join(', ');
export const roleLabel = (locale: Locale, role: string) => t(locale, `roles.${role}`);
export const statusLabel = (locale: Locale, status: string) => t(locale, `programmeStatus.${status}`);
export const dates = (locale: Locale, p: Pick<Programme, 'startDate' | 'endDate'>) => t(locale, 'programme.dates', { start: p.startDate, end: p.endDate });

export const levelChoices = (locale: Locale, levels: readonly number[] = LEVELS) => levels.map((l) => ({ title: levelLabel(locale, l), value: String(l) }));
export const weekdayChoices = (locale: Locale) => WEEKDAYS.map((d) => ({ title: t(locale, `weekday.${d}`), value: d }));
export const seniorityChoices = (locale: Locale) => SENIORITY.map((s) => ({ title: t(locale, `seniority.${s}`), value: s }));
export const skillChoices = (locale: Locale) => [0, 1, 2, 3].map((s) => ({ title: t(locale, `skill.${s}`), value: String(s) }));

/** The error card for a refused submission: what to fix, field by field. Nothing was stored. */
export function problemsCard(turn: Turn, problems: Problem[]) {
  const items = problems.map((p) => {
    const field = p.params?.field ? t(turn.locale, `fields.${p.params.field}`) : '';
    return t(turn.locale, `errors.${p.key}`, { ...p.params, field });
  });
  return renderCard('notice', { title: t(turn.locale, 'errors.title'), text: '', tone: 'error', items: [...new Set(items)], actions: [] }, turn.locale);
}

/** Who someone is, in people's own words: always escaped. */
export const who = (p: Pick<Participant, 'name'>) => escapeMarkdown(p.name || '?');
