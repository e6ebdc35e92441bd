// The check-in, reminder and feedback cards and their in-place summaries. People's own words
// (names, what they learned) are escaped: shown as typed, never as Markdown.
import { Card, escapeMarkdown, renderCard } from '../cards/render';
import { CheckinAnswer, FeedbackAnswer, localDate, MAX_BLOCKERS, MAX_CHANGE, MAX_LEARNED } from '../domain/checkins';
import { getCatalogue } from '../domain/ladder';
import type { CheckinRecord, Locale, Programme } from '../domain/types';
import { t } from '../i18n/i18n';

/** The programme's tutorials as card choices, in ladder order: "L2 · Tour internal communities". */
export function tutorialChoices(locale: Locale, programme: Pick<Programme, 'levels'>): Array<{ title: string; value: string }> {
  return getCatalogue(locale)
    .levels.filter((lv) => programme.levels.includes(lv.level))
    .flatMap((lv) => lv.tutorials.map((tu) => ({ title: `L${lv.level} · ${tu.title}`, value: tu.id })));
}

/** A date-time as the programme's local date (YYYY-MM-DD), for "open until". */
export function localDay(iso: string, timeZone: string): string {
  try {
    return localDate(new Date(iso), timeZone);
  } catch {
    return iso.slice(0, 10);
  }
}

export interface CheckinCardInput {
  programme: Programme;
  record: Pick<CheckinRecord, 'round' | 'userId' | 'pairId' | 'role'>;
  closesAt: string;
  partnerName?: string;
  /** Today's date where the person is (YYYY-MM-DD): the earliest next session. */
  today: string;
}

export function checkinCard(locale: Locale, c: CheckinCardInput): Card {
  const programme = escapeMarkdown(c.programme.name);
  return renderCard(
    'checkin',
    {
      title: t(locale, 'checkins.cardTitle', { round: c.record.round, programme }),
      intro: c.partnerName ? t(locale, 'checkins.intro', { partner: escapeMarkdown(c.partnerName) }) : t(locale, 'checkins.introNoPartner'),
      closes: t(locale, 'checkins.openUntil', { date: localDay(c.closesAt, c.programme.timeZone) }),
      learnedLabel: t(locale, c.record.role === 'mentor' ? 'checkins.learnedMentor' : 'checkins.learnedMentee'),
      tutorialChoices: tutorialChoices(locale, c.programme),
      maxLearned: MAX_LEARNED,
      maxBlockers: MAX_BLOCKERS,
      today: c.today,
      programmeId: c.programme.id,
      round: c.record.round,
      pairId: c.record.pairId,
      forUser: c.record.userId,
      // Typed commands are lower-cased by the parser; the name picks this programme.
      pauseCommand: `pause ${c.programme.name}`,
    },
    locale,
  );
}

export function checkinSummaryCard(locale: Locale, programme: Pick<Programme, 'name' | 'levels'>, round: number, a: CheckinAnswer): Card {
  const titles = new Map(tutorialChoices(locale, programme).map((c) => [c.value, c.title]));
  const facts = [
    { title: t(locale, 'checkins.summaryMet'), value: t(locale, `checkins.metValue.${a.met}`) },
    { title: t(locale, 'checkins.summaryTutorials'), value: a.tutorials.length ? a.tutorials.map((id) => titles.get(id) ?? id).join(', ') : t(locale, 'checkins.none') },
    ...(a.rating ? [{ title: t(locale, 'checkins.summaryRating'), value: t(locale, 'checkins.ratingValue', { rating: a.rating }) }] : []),
    ...(a.nextSession ? [{ title: t(locale, 'checkins.summaryNext'), value: a.nextSession }] : []),
  ];
  return renderCard(
    'checkin-summary',
    {
      title: t(locale, 'checkins.summaryTitle', { round, programme: escapeMarkdown(programme.name) }),
      facts,
      learned: a.learned ? escapeMarkdown(a.learned) : '',
      blockers: a.blockers ? escapeMarkdown(a.blockers) : '',
    },
    locale,
  );
}

export function reminderCard(locale: Locale, programme: Pick<Programme, 'name' | 'timeZone'>, round: number, closesAt: string): Card {
  return renderCard(
    'reminder',
    {
      title: t(locale, 'checkins.reminderTitle', { programme: escapeMarkdown(programme.name) }),
      text: t(locale, 'checkins.reminderText', { round, date: localDay(closesAt, programme.timeZone) }),
    },
    locale,
  );
}

export function feedbackCard(locale: Locale, programme: Pick<Programme, 'id' | 'name'>, userId: string): Card {
  return renderCard(
    'feedback',
    { title: t(locale, 'feedback.title', { programme: escapeMarkdown(programme.name) }), maxChange: MAX_CHANGE, programmeId: programme.id, forUser: userId },
    locale,
  );
}

export function feedbackSummaryCard(locale: Locale, programme: Pick<Programme, 'name'>, a: FeedbackAnswer): Card {
  return renderCard(
    'feedback-summary',
    {
      title: t(locale, 'feedback.thanks', { programme: escapeMarkdown(programme.name) }),
      facts: [
        { title: t(locale, 'feedback.fields.valueOfOneToOne'), value: `${a.valueOfOneToOne} / 5` },
        { title: t(locale, 'feedback.fields.flexibility'), value: `${a.flexibility} / 5` },
        { title: t(locale, 'feedback.fields.wouldRecommend'), value: t(locale, a.wouldRecommend ? 'common.yes' : 'common.no') },
      ],
      change: a.change ? escapeMarkdown(a.change) : '',
    },
    locale,
  );
}
