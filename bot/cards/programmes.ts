// Programme cards: the Join card posted in a channel, the "programme new" form, the list.
import { COMMON_TIME_ZONES } from '../domain/programme';
import type { Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { dates, levelChoices, levelsLabel, Reader, statusLabel, weekdayChoices } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

export function programmeCard(to: Reader, p: Programme): Card {
  const L = to.locale;
  return renderCard(
    'programme-card',
    {
      title: t(L, 'programme.cardTitle', { name: escapeMarkdown(p.name) }),
      objectives: escapeMarkdown(p.objectives),
      dates: dates(L, p),
      levels: levelsLabel(L, p.levels),
      nominated: p.enrolment === 'nominated',
      programmeId: p.id,
    },
    L,
  );
}

/** The "programme new" form; `formId` becomes the programme's id (a second press finds it taken). */
export function programmeForm(to: Reader, formId: string, today: Date): Card {
  const L = to.locale;
  const plus = (days: number) => new Date(today.getTime() + days * 86400000).toISOString().slice(0, 10);
  return renderCard(
    'programme-form',
    {
      formId,
      name: '',
      objectives: '',
      startDate: plus(7),
      endDate: plus(7 + 182),
      levels: '1,2',
      cadenceWeeks: '1',
      sessionMinutes: '60',
      maxMenteesPerMentor: 2,
      timeZone: 'Europe/Berlin',
      levelChoices: levelChoices(L),
      weekdayChoices: weekdayChoices(L),
      timeZoneChoices: COMMON_TIME_ZONES.map((z) => ({ title: z, value: z })),
    },
    L,
  );
}

export interface ProgrammeRow {
  programme: Programme;
  mentors: number;
  mentees: number;
  pairs: number;
}

export function programmeList(to: Reader, rows: ProgrammeRow[]): Card {
  const L = to.locale;
  return renderCard(
    'programme-list',
    {
      programmes: rows.map(({ programme: p, mentors, mentees, pairs }) => ({
        name: escapeMarkdown(p.name),
        status: statusLabel(L, p.status),
        dates: dates(L, p),
        levels: levelsLabel(L, p.levels),
        enrolment: t(L, `enrolment.${p.enrolment}`),
        people: t(L, 'programme.people', { mentors, mentees, pairs }),
      })),
    },
    L,
  );
}
