// Pairing cards: the proposal (pairs with scores and why, the unmatched with the rule that kept
// them out, approve / re-run / swap / exclude), the introduction both people get, "my pair".
import { suggestFirstTutorial } from '../domain/ladder';
import { wantedLevels } from '../domain/matching';
import { CONFIDENT, Locale, Pair, Participant, Programme, ProposalRecord } from '../domain/types';
import { t } from '../i18n/i18n';
import { levelsLabel, roleLabel } from './common';
import { Card, escapeMarkdown, renderCard } from './render';

/** Pairs and unmatched people shown on the card; the rest is summarised (cards stay < 28 KB). */
const SHOWN_PAIRS = 25;
const SHOWN_UNMATCHED = 15;

type Reason = { code: string; [k: string]: unknown };

export function reasonText(locale: Locale, r: Reason): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(r)) {
    if (k === 'code') continue;
    if (k === 'lang') params[k] = String(v).toUpperCase();
    else if (k === 'days') params[k] = (v as string[]).map((d) => t(locale, `weekday.${d}`)).join(', ');
    else params[k] = Array.isArray(v) ? v.join(', ') : (v as string | number);
  }
  return t(locale, `reason.${r.code}`, params);
}

export function ruleText(locale: Locale, v: { rule: string; level?: number }): string {
  return t(locale, `rule.${v.rule}`, { level: v.level ?? '' });
}

/** A person's name among `people`, escaped. */
export function nameIn(people: Participant[], id: string): string {
  return escapeMarkdown(people.find((p) => p.userId === id)?.name || '?');
}

export function proposalCard(locale: Locale, programme: Programme, record: ProposalRecord, pairs: Pair[], people: Participant[], status = ''): Card {
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  const label = (p: Pair) => `${nameIn(people, p.mentorId)} → ${nameIn(people, p.menteeId)}`;
  const avg = pairs.length ? Math.round(pairs.reduce((s, p) => s + p.score, 0) / pairs.length) : 0;
  return renderCard(
    'proposal',
    {
      title: t(locale, 'pairing.title', { name: escapeMarkdown(programme.name) }),
      summary: t(locale, 'pairing.summary', { pairs: pairs.length, avg, unmatched: record.unmatched.length }),
      status,
      open: record.status === 'open',
      programmeId: programme.id,
      proposalId: record.id,
      pairs: sorted.slice(0, SHOWN_PAIRS).map((p) => ({
        label: label(p),
        score: t(locale, 'pairing.proposedScore', { score: Math.round(p.score) }),
        why: p.reasons.filter((r) => (r.points as number) > 0).slice(0, 3).map((r) => reasonText(locale, r)).join(' · '),
      })),
      more: pairs.length > SHOWN_PAIRS ? t(locale, 'pairing.more', { count: pairs.length - SHOWN_PAIRS }) : '',
      unmatched: record.unmatched.slice(0, SHOWN_UNMATCHED).map((u) => `${nameIn(people, u.userId)} (${roleLabel(locale, u.role)}): ${reasonText(locale, u.reason)}`),
      moreUnmatched: record.unmatched.length > SHOWN_UNMATCHED ? t(locale, 'pairing.moreUnmatched', { count: record.unmatched.length - SHOWN_UNMATCHED }) : '',
      choices: sorted.slice(0, SHOWN_PAIRS).map((p) => ({ title: label(p), value: p.id })),
    },
    locale,
  );
}

/** A one-click Teams chat with someone, when their sign-in name is known. */
export function chatLink(upn: string | undefined): string {
  return upn ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}` : '';
}

/** What a person can teach (confident or better) within the programme's levels. */
function teaches(p: Participant, programme: Programme): number[] {
  return programme.levels.filter((l) => (p.skills[l - 1] ?? 0) >= CONFIDENT);
}

/** `scheduleUrl`: the tab's schedule view for this pair ("Find a time"), when the calendar is set up. */
export function introductionCard(locale: Locale, programme: Programme, me: Participant, other: Participant, otherUpn?: string, scheduleUrl = ''): Card {
  const mentee = me.role === 'mentee' ? me : other;
  const first = suggestFirstTutorial(programme.levels, wantedLevels(mentee, programme), locale);
  const name = escapeMarkdown(other.name || '?');
  const programmeName = escapeMarkdown(programme.name);
  const iAmMentee = me.role === 'mentee';
  return renderCard(
    'introduction',
    {
      title: t(locale, iAmMentee ? 'intro.titleMentee' : 'intro.titleMentor', { name }),
      intro: t(locale, iAmMentee ? 'intro.menteeIntro' : 'intro.mentorIntro', { programme: programmeName, name }),
      department: escapeMarkdown(other.department),
      seniority: t(locale, `seniority.${other.seniority}`),
      topicTitle: t(locale, iAmMentee ? 'intro.canTeach' : 'intro.wantsToLearn'),
      topics: levelsLabel(locale, iAmMentee ? teaches(other, programme) : wantedLevels(other, programme)),
      languages: other.languages.map((l) => l.toUpperCase()).join(', '),
      objectives: escapeMarkdown(programme.objectives),
      tutorialTitle: first ? `${first.title} (${first.durationMinutes} min)` : '',
      tutorialGoal: first?.goal ?? '',
      chatUrl: chatLink(otherUpn),
      chatTitle: t(locale, 'intro.chat', { name }),
      noLink: t(locale, 'intro.noLink', { name }),
      scheduleUrl,
      // The senior mentee owns the scheduling; the mentor may book too.
      scheduleNote: scheduleUrl ? t(locale, iAmMentee ? 'intro.scheduleMentee' : 'intro.scheduleMentor', { name }) : '',
    },
    locale,
  );
}

export interface MyPairRow {
  programme: Programme;
  pair: Pair;
  iAmMentor: boolean;
  other: Participant;
  otherUpn?: string;
  /** The tab's schedule view for the pair (empty: no calendar). */
  scheduleUrl?: string;
}

export function myPairCard(locale: Locale, rows: MyPairRow[]): Card {
  const L = locale;
  return renderCard(
    'my-pair',
    {
      pairs: rows.map(({ programme, pair, iAmMentor, other, otherUpn, scheduleUrl }) => {
        const name = escapeMarkdown(other.name || '?');
        return {
          headline: `${escapeMarkdown(programme.name)}: ${t(L, iAmMentor ? 'pairing.yourMentee' : 'pairing.yourMentor', { name })}`,
          department: escapeMarkdown(other.department),
          seniority: t(L, `seniority.${other.seniority}`),
          since: pair.createdAt.slice(0, 10),
          status: t(L, `profile.statusValue.${pair.status === 'paused' ? 'paused' : 'active'}`),
          chatUrl: chatLink(otherUpn),
          chatTitle: t(L, 'intro.chat', { name }),
          scheduleUrl: scheduleUrl ?? '',
        };
      }),
    },
    L,
  );
}

/** To both people: their pair was ended (by an admin, by leaving, by an erasure). */
export function pairEndedNotice(locale: Locale, programme: Pick<Programme, 'name'>, partnerName: string, key: 'pairing.unpairedNote' | 'data.partnerNote', sessions?: 'yours' | 'theirs'): Card {
  const partner = escapeMarkdown(partnerName);
  const title = t(locale, key, { partner, name: escapeMarkdown(programme.name) });
  return renderCard('notice', { title, text: sessionsEndedNote(locale, partner, sessions), tone: 'info', items: [], actions: [] }, locale);
}

/**
 * A pair ended with sessions booked: the meeting stays in Outlook (the app changes a calendar only
 * while its owner is signed in to the tab), so the organiser is asked to cancel it, the other may decline.
 */
function sessionsEndedNote(locale: Locale, partner: string, sessions: 'yours' | 'theirs' | undefined): string {
  return sessions ? t(locale, sessions === 'yours' ? 'sessions.endedYours' : 'sessions.endedTheirs', { partner }) : '';
}

/** A change to someone's pairs, as their partner, they themselves (resumed by the scheduler) or an admin reads it. */
export function changeNotice(
  locale: Locale, programme: Pick<Programme, 'name'>, change: { kind: 'left' } | { kind: 'paused'; until?: string } | { kind: 'resumed'; automatically: boolean },
  person: string, reader: 'partner' | 'self' | 'admin', partners: string[] = [], sessions?: 'yours' | 'theirs',
): Card {
  const base = { person: escapeMarkdown(person || '?'), programme: escapeMarkdown(programme.name) };
  const kind = change.kind === 'paused' ? (change.until ? 'pausedUntil' : 'paused') : change.kind === 'resumed' && change.automatically ? 'autoResumed' : change.kind;
  const pairNote = partners.length ? t(locale, 'pairNews.pairNote', { partners: partners.map((n) => escapeMarkdown(n || '?')).join(', ') }) : '';
  const title = t(locale, `pairNews.${reader}.${kind}`, { ...base, date: change.kind === 'paused' ? change.until ?? '' : '', pairNote });
  return renderCard('notice', { title, text: sessionsEndedNote(locale, base.person, sessions), tone: 'info', items: [], actions: [] }, locale);
}
