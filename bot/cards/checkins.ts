// The check-in, reminder and feedback cards and their in-place summaries, the at-risk notice and
// the admins' status card. People's own words (names, what they learned) are escaped: shown as
// typed, never as Markdown.
import { businessItems } from '../domain/business';
import { CheckinAnswer, FeedbackAnswer, itemInput, levelInput, localDate, MAX_BLOCKERS, MAX_CHANGE, MAX_LEARNED, Problem } from '../domain/checkins';
import type { Health } from '../domain/health';
import { PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import { getCatalogue } from '../domain/ladder';
import type { CheckinRecord, FeedbackRecord, Locale, Programme, Role, SurveyPhase } from '../domain/types';
import { t } from '../i18n/i18n';
import { businessChoices, businessTitle, levelLabel, notice, Reader, roleLabel, skillChoices, statusLabel, tr } from './common';
import { Card, escapeMarkdown, renderCard } from './render';
import { whenText } from './sessions';

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
  /** With what the pair's calendar said of the week (calendarMet, calendarState, calendarNext), when it has a series. */
  record: Pick<CheckinRecord, 'round' | 'userId' | 'pairId' | 'role'> & Partial<Pick<CheckinRecord, 'calendarMet' | 'calendarState' | 'calendarAt' | 'calendarNext'>>;
  closesAt: string;
  partnerName?: string;
  /** Today's date where the person is (YYYY-MM-DD): the earliest next session. */
  today: string;
  /** The person's time zone (the sessions' times are shown in it); default the programme's. */
  timeZone?: string;
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
      ...calendarParts(locale, c),
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

function knownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "Did you meet" prefilled from the week's session, a line saying why, and the next session from the series. */
function calendarParts(locale: Locale, c: CheckinCardInput): { metDefault: string; calendarHint: string; calendarNext: string } {
  const r = c.record;
  const zone = c.timeZone && knownZone(c.timeZone) ? c.timeZone : c.programme.timeZone;
  const next = r.calendarNext ? whenText(locale, Date.parse(r.calendarNext), zone) : '';
  if (!r.calendarState) return { metDefault: '', calendarHint: '', calendarNext: next };
  const date = r.calendarAt ? whenText(locale, Date.parse(r.calendarAt), zone) : '';
  const state = t(locale, `sessions.state.${r.calendarState}`, { date });
  return { metDefault: r.calendarMet ?? '', calendarHint: t(locale, 'sessions.calendarHint', { state }), calendarNext: next };
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

/** The 0-3 ratings a survey or start card asks: the programme's levels (mentees) or the business items (mentors). */
export function ratingRows(locale: Locale, p: Pick<Programme, 'levels'>, role: Role): Array<{ id: string; label: string; hint: string; choices: Array<{ title: string; value: string }> }> {
  if (role === 'mentee') return p.levels.map((l) => ({ id: levelInput(l), label: levelLabel(locale, l), hint: '', choices: skillChoices(locale) }));
  return businessItems(locale).map((i) => ({ id: itemInput(i.id), label: i.title, hint: i.description, choices: businessChoices(locale) }));
}

const recommendChoices = () => Array.from({ length: 11 }, (_, i) => ({ title: String(i), value: String(i) }));

/**
 * The closing survey (`end`) or the mid-point pulse (`mid`): where the person stands now (their
 * levels, or the business items for a mentor), the programme model's questions, the recommend
 * score and, at the end, what they would change.
 */
export function feedbackCard(locale: Locale, programme: Pick<Programme, 'id' | 'name' | 'levels'>, userId: string, role: Role, phase: SurveyPhase): Card {
  const name = escapeMarkdown(programme.name);
  return renderCard(
    'feedback',
    {
      title: t(locale, phase === 'end' ? 'feedback.title' : 'feedback.pulseTitle', { programme: name }),
      intro: t(locale, phase === 'end' ? 'feedback.intro' : 'feedback.pulseIntro'),
      ratingsTitle: t(locale, role === 'mentee' ? 'feedback.levelsTitle' : 'feedback.businessTitle'),
      ratings: ratingRows(locale, programme, role),
      recommendChoices: recommendChoices(),
      end: phase === 'end',
      maxChange: MAX_CHANGE,
      verb: phase === 'end' ? 'feedback.submit' : 'pulse.submit',
      phase,
      programmeId: programme.id,
      forUser: userId,
    },
    locale,
  );
}

export function feedbackSummaryCard(locale: Locale, programme: Pick<Programme, 'name'>, a: FeedbackAnswer, phase: SurveyPhase = 'end'): Card {
  const ratings = [
    ...Object.entries(a.levels).map(([l, v]) => ({ title: levelLabel(locale, Number(l)), value: t(locale, `skill.${v}`) })),
    ...Object.entries(a.business).map(([id, v]) => ({ title: businessTitle(locale, id), value: t(locale, `business.scale.${v}`) })),
  ];
  return renderCard(
    'feedback-summary',
    {
      title: t(locale, phase === 'end' ? 'feedback.thanks' : 'feedback.pulseThanks', { programme: escapeMarkdown(programme.name) }),
      facts: [
        ...ratings,
        { title: t(locale, 'feedback.fields.valueOfOneToOne'), value: `${a.valueOfOneToOne} / 5` },
        { title: t(locale, 'feedback.fields.flexibility'), value: `${a.flexibility} / 5` },
        { title: t(locale, 'feedback.fields.recommend'), value: `${a.recommend} / 10` },
      ],
      change: a.change ? escapeMarkdown(a.change) : '',
    },
    locale,
  );
}

/** A refused check-in, survey or start answer: what to fix, field by field. */
export function answerProblems(to: Reader, section: 'checkins' | 'feedback' | 'business', problems: Problem[]): Card {
  const items = problems.map((p) => {
    // A rating names what it is about: a level or a business item, in the reader's language.
    const what = p.params?.level !== undefined ? levelLabel(to.locale, Number(p.params.level)) : p.params?.item !== undefined ? businessTitle(to.locale, String(p.params.item)) : '';
    const errors = what ? 'feedback' : section;
    return t(to.locale, `${errors}.errors.${p.code}`, { ...p.params, what, field: t(to.locale, `${errors}.fields.${p.field}`) });
  });
  return notice(to, t(to.locale, 'errors.title'), '', 'error', [...new Set(items)]);
}

/** To the admins: a pair missed two check-ins in a row. */
export function atRiskNotice(locale: Locale, programme: Pick<Programme, 'name'>, mentor: string, mentee: string): Card {
  return notice({ locale }, tr(locale, 'checkins.atRiskAdmin', { programme: programme.name, mentor, mentee }));
}

/** To the admins: someone in a pair pressed "ask for help". */
export function helpAskedNotice(locale: Locale, programme: Pick<Programme, 'name'>, person: string): Card {
  return notice({ locale }, tr(locale, 'checkins.helpAdmin', { person, programme: programme.name }));
}

/** One programme of the admins' status card: health in counts and rates, survey averages from the privacy threshold, never words. */
export interface StatusInput {
  programme: Programme;
  health: Health;
  /** Names of the pairs at risk and of the unreachable, as in health's order. */
  atRisk: Array<{ mentor: string; mentee: string }>;
  /** The paused pairs, in health's order, and until when (none = until they resume). */
  paused: Array<{ mentor: string; mentee: string; until?: string }>;
  unreachable: Array<{ name: string; role: string }>;
  feedback: FeedbackRecord[];
  viewerId: string;
}

const SHOWN_PEOPLE = 15;

function list(locale: Locale, items: string[], none: string): string {
  if (!items.length) return none;
  const shown = items.slice(0, SHOWN_PEOPLE);
  if (items.length > SHOWN_PEOPLE) shown.push(t(locale, 'status.more', { count: items.length - SHOWN_PEOPLE }));
  return shown.join('\n\n');
}

function statusSection(L: Locale, s: StatusInput) {
  const { programme: p, health: h } = s;
  const pct = (n: number | null) => (n === null ? t(L, 'status.rateNone') : `${n}%`);
  // Survey results are aggregates of other people's answers: shown from the threshold on (the
  // caller leaves out anyone who erased their data).
  const f = s.feedback.filter((x) => x.userId !== s.viewerId);
  const scores = f.map((x) => x.recommend).filter((x): x is number => typeof x === 'number');
  const avg = (xs: number[]) => (xs.length ? (Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10).toString() : '-');
  const waiting = h.rounds.filter((r) => r.open).reduce((n, r) => n + r.waiting, 0);
  return {
    title: t(L, 'status.title', { programme: escapeMarkdown(p.name) }),
    summary: t(L, 'status.summary', { status: statusLabel(L, p.status), pairs: h.activePairs, atRisk: h.atRisk.length, rate: pct(h.responseRate) }),
    rounds: h.rounds.slice(-8).map((r) => ({
      label: t(L, 'status.roundLabel', { round: r.round, date: localDay(r.openedAt, p.timeZone) }),
      value: t(L, 'status.roundValue', { answered: r.answered, expected: r.expected, rate: pct(r.rate), sent: r.sent, state: t(L, r.open ? 'status.roundOpen' : 'status.roundClosed') }),
    })),
    waiting: waiting ? t(L, 'status.waiting', { count: waiting }) : '',
    atRiskCount: h.atRisk.length,
    atRisk: list(L, s.atRisk.map((x) => `${escapeMarkdown(x.mentor)} → ${escapeMarkdown(x.mentee)}`), t(L, 'status.atRiskNone')),
    pausedCount: s.paused.length,
    paused: list(L, s.paused.map((x) => t(L, x.until ? 'status.pausedUntil' : 'status.pausedOpen', { pair: `${escapeMarkdown(x.mentor)} → ${escapeMarkdown(x.mentee)}`, date: x.until ?? '' })), ''),
    unreachable: list(L, s.unreachable.map((x) => `${escapeMarkdown(x.name)} (${roleLabel(L, x.role)})`), t(L, 'status.unreachableNone')),
    feedback: h.surveyAsked
      ? f.length >= PRIVACY_THRESHOLD
        ? t(L, 'status.feedbackValue', {
            count: s.feedback.length, asked: h.surveyAsked, value: avg(f.map((x) => x.valueOfOneToOne)), flexibility: avg(f.map((x) => x.flexibility)),
            recommend: avg(scores),
          })
        : t(L, 'status.feedbackFew', { count: s.feedback.length, asked: h.surveyAsked, threshold: PRIVACY_THRESHOLD })
      : '',
  };
}

export function statusCard(locale: Locale, programmes: StatusInput[]): Card {
  return renderCard('status', { programmes: programmes.map((s) => statusSection(locale, s)) }, locale);
}
