// The profile form (join, edit, nomination) with the digital-skills self-assessment, and the
// profile card that shows what was saved.
import { COMMON_TIME_ZONES, LANGUAGES, profileDefaults } from '../domain/programme';
import { LEVELS, Locale, Participant, Programme, Role } from '../domain/types';
import { t } from '../i18n/i18n';
import { levelChoices, levelsLabel, Reader, roleLabel, seniorityChoices, skillChoices, weekdayChoices } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

export interface FormOptions {
  programmes: Programme[];
  existing?: Participant;
  fixedRole?: Role;
  /** The person the form is for: only they may submit it. */
  formFor: string;
  /** The profile's last save (consentAt) when an edit form was made: a save from an older form is refused. */
  version?: string;
}

export function profileForm(locale: Locale, o: FormOptions): Card {
  const single = o.programmes.length === 1 ? o.programmes[0] : undefined;
  const levels = single ? single.levels : [...LEVELS];
  const name = single ? escapeMarkdown(single.name) : '';
  const defaults = profileDefaults(o.existing);
  const role = o.fixedRole ?? o.existing?.role;
  return renderCard(
    'profile-form',
    {
      title: o.existing ? t(locale, 'join.titleEdit', { name }) : t(locale, 'join.title', { name }),
      intro: t(locale, 'join.intro'),
      programmeChoices: o.programmes.map((p) => ({ title: escapeMarkdown(p.name), value: p.id })),
      fixedProgrammeId: single?.id ?? '',
      roleFixed: !!o.fixedRole,
      roleNote: o.fixedRole ? t(locale, 'join.roleFixed', { role: roleLabel(locale, o.fixedRole) }) : '',
      defaults: { ...defaults, role: role ?? '' },
      seniorityChoices: seniorityChoices(locale),
      languageChoices: LANGUAGES.map((l) => ({ title: l.toUpperCase(), value: l })),
      timeZoneChoices: COMMON_TIME_ZONES.map((z) => ({ title: z, value: z })),
      dayChoices: weekdayChoices(locale),
      skillRows: LEVELS.map((l, i) => ({ id: `skill${l}`, label: levelChoices(locale)[i].title, value: defaults.skills[i] })),
      skillChoices: skillChoices(locale),
      showWant: role !== 'mentor',
      wantChoices: levelChoices(locale, levels),
      formFor: o.formFor,
      version: o.version ?? '',
    },
    locale,
  );
}

export function profileCard(to: Reader, rows: Array<{ programme: Programme; participant: Participant }>, headline = '', note = ''): Card {
  const L = to.locale;
  return renderCard(
    'profile',
    {
      headline,
      note,
      profiles: rows.map(({ programme, participant: p }) => ({
        programmeId: programme.id,
        programmeName: escapeMarkdown(programme.name),
        role: roleLabel(L, p.role),
        status: t(L, `profile.statusValue.${p.status}`),
        department: escapeMarkdown(p.department ?? ''),
        seniority: p.seniority ? t(L, `seniority.${p.seniority}`) : '',
        languages: (p.languages ?? []).map((x) => x.toUpperCase()).join(', '),
        timeZone: p.timeZone ?? '',
        availability: t(L, 'profile.availability', { sessions: p.sessionsPerMonth ?? 0, days: (p.preferredDays ?? []).map((d) => t(L, `weekday.${d}`)).join(', ') }),
        skills: LEVELS.map((l) => `${l}: ${p.skills?.[l - 1] ?? '-'}`).join(' · '),
        wants: p.role === 'mentee' ? levelsLabel(L, p.wantLevels ?? []) : '-',
      })),
    },
    L,
  );
}

/** "pause": until when (a day, or until they resume); `min` is tomorrow and `max` the programme's end where they are. */
export function pauseForm(locale: Locale, programme: Programme, formFor: string, min: string): Card {
  const max = programme.endDate >= min ? programme.endDate : min;
  const inTwoWeeks = new Date(Date.parse(`${min}T12:00:00Z`) + 13 * 86400000).toISOString().slice(0, 10);
  return renderCard(
    'pause-form',
    { title: t(locale, 'pause.title', { name: escapeMarkdown(programme.name) }), min, max, suggested: inTwoWeeks < max ? inTwoWeeks : max, programmeId: programme.id, formFor },
    locale,
  );
}
