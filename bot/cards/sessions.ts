// Cards about a pair's sessions: what the partner is told when the series is booked, a session
// moved or the series cancelled (their language, their time zone, the join link), and the
// "Find a time" button of the introduction and "my pair" cards, which opens the tab's schedule view.
import type { Config } from '../config';
import { nextSession } from '../domain/sessions';
import type { Locale, Programme, SessionSeries } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, escapeMarkdown, renderCard } from './render';

/** A session's time as people read it: "Tue 8 Dec 2026, 10:00 (Europe/London)". */
export function whenText(locale: Locale, at: number, timeZone: string, withZone = true): string {
  const text = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
  return withZone ? `${text} (${timeZone})` : text;
}

const dayText = (locale: Locale, isoDay: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(Date.parse(`${isoDay}T12:00:00Z`));

/**
 * The tab's schedule view for the pair with `partnerId`: a Teams deep link into the personal tab
 * (sub-page "schedule:<programme>:<partner>"), or this server's tab page without a Teams app id.
 */
export function scheduleLink(config: Pick<Config, 'teamsAppId' | 'publicUrl'>, programmeId: string, partnerId: string): string {
  if (config.teamsAppId) {
    const context = encodeURIComponent(JSON.stringify({ subEntityId: `schedule:${programmeId}:${partnerId}` }));
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(config.teamsAppId)}/ladder?context=${context}`;
  }
  return `${config.publicUrl}/tab/index.html?${new URLSearchParams({ view: 'schedule', programme: programmeId, partner: partnerId }).toString()}`;
}

export interface SessionNoticeInput {
  programme: Pick<Programme, 'id' | 'name' | 'cadenceWeeks'>;
  series: SessionSeries;
  news: { kind: 'booked' } | { kind: 'moved'; from: number; to: number } | { kind: 'cancelled' };
  /** Escaped. */
  organiserName: string;
  /** The reader's zone. */
  timeZone: string;
  config: Pick<Config, 'teamsAppId' | 'publicUrl'>;
  /** The reader's partner (the organiser): the schedule view's pair. */
  partnerId: string;
}

export function sessionNotice(locale: Locale, c: SessionNoticeInput): Card {
  const L = locale;
  const s = c.series;
  const programme = escapeMarkdown(c.programme.name);
  const base = { organiser: c.organiserName, programme };
  const first = s.firstStart ? Date.parse(s.firstStart) : NaN;
  const next = nextSession(s, Date.now());
  let title = '';
  let facts: Array<{ title: string; value: string }> = [];
  let text = '';
  if (c.news.kind === 'booked') {
    title = t(L, 'sessions.bookedTitle', base);
    text = t(L, 'sessions.bookedText', { ...base, weeks: s.intervalWeeks });
    facts = [
      { title: t(L, 'sessions.first'), value: Number.isFinite(first) ? whenText(L, first, c.timeZone) : '' },
      { title: t(L, 'sessions.length'), value: t(L, 'sessions.minutes', { n: s.minutes }) },
      { title: t(L, 'sessions.every'), value: t(L, 'sessions.everyWeeks', { weeks: s.intervalWeeks }) },
      { title: t(L, 'sessions.until'), value: dayText(L, s.until) },
    ];
  } else if (c.news.kind === 'moved') {
    title = t(L, 'sessions.movedTitle', base);
    facts = [
      { title: t(L, 'sessions.wasAt'), value: whenText(L, c.news.from, c.timeZone) },
      { title: t(L, 'sessions.nowAt'), value: whenText(L, c.news.to, c.timeZone) },
    ];
  } else {
    title = t(L, 'sessions.cancelledTitle', base);
    text = t(L, 'sessions.cancelledText', base);
  }
  if (c.news.kind !== 'cancelled' && next && c.news.kind !== 'booked') facts.push({ title: t(L, 'sessions.next'), value: whenText(L, next.start, c.timeZone) });
  return renderCard(
    'session-news',
    {
      title, text, facts,
      note: c.news.kind === 'cancelled' ? '' : t(L, 'sessions.inviteNote'),
      joinUrl: c.news.kind === 'cancelled' ? '' : s.joinUrl ?? '',
      scheduleUrl: scheduleLink(c.config, c.programme.id, c.partnerId),
    },
    L,
  );
}
