// Pairing: the proposal card (approve, re-run, swap, exclude), pairing by hand, unpair,
// introductions, and "my pair".
import { escapeMarkdown, renderCard } from '../cards/render';
import { suggestFirstTutorial } from '../domain/ladder';
import { wantedLevels } from '../domain/matching';
import { canPair } from '../domain/programme';
import { CONFIDENT, Locale, Pair, Participant, Programme, ProposalRecord } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { isAdmin } from '../services/admins';
import { contactOf } from '../services/contacts';
import { approve, cohortOf, exclude, pairByHand, propose, proposalRecord, proposedPairs, swap } from '../services/matching';
import { endPairsOf, pairsOf } from '../services/pairs';
import { getProgramme, myParticipations, participantIn, participantsOf } from '../services/programmes';
import type { Services } from '../services/services';
import { key } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { programmeFor } from './programmes';
import { notice, onCommand, onSubmit } from './router';
import type { Turn } from './turn';
import { levelsLabel, roleLabel } from './views';

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

function nameOf(people: Participant[], id: string): string {
  return escapeMarkdown(people.find((p) => p.userId === id)?.name || '?');
}

function proposalCard(locale: Locale, programme: Programme, record: ProposalRecord, pairs: Pair[], people: Participant[], status = '') {
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  const label = (p: Pair) => `${nameOf(people, p.mentorId)} → ${nameOf(people, p.menteeId)}`;
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
      unmatched: record.unmatched.slice(0, SHOWN_UNMATCHED).map((u) => `${nameOf(people, u.userId)} (${roleLabel(locale, u.role)}): ${reasonText(locale, u.reason)}`),
      moreUnmatched: record.unmatched.length > SHOWN_UNMATCHED ? t(locale, 'pairing.moreUnmatched', { count: record.unmatched.length - SHOWN_UNMATCHED }) : '',
      choices: sorted.slice(0, SHOWN_PAIRS).map((p) => ({ title: label(p), value: p.id })),
    },
    locale,
  );
}

async function runAndShow(turn: Turn, svc: Services, programme: Programme, replace?: string): Promise<void> {
  const { record, proposal, cohort } = await propose(svc, programme, turn.userId);
  if (!proposal.pairs.length && !proposal.unmatched.length) {
    await turn.send(notice(turn, t(turn.locale, 'pairing.nothing', { mentors: cohort.input.mentors.length, mentees: cohort.input.mentees.length })));
    return;
  }
  const pairs = await proposedPairs(svc, programme, record.id);
  const card = proposalCard(turn.locale, programme, record, pairs, cohort.people);
  if (replace) await turn.update(replace, card).catch(() => turn.send(card));
  else await turn.send(card);
}

/** Manual pairing: "pair @mentor @mentee [override] [programme]". */
async function pairTwo(turn: Turn, svc: Services, args: string): Promise<void> {
  const L = turn.locale;
  if (turn.mentions.length !== 2) {
    await turn.send(notice(turn, t(L, 'pairing.manualUsage'), '', 'error'));
    return;
  }
  const override = /\boverride\b/.test(args);
  // What is left after the mentions and "override" names the programme.
  const mentionNames = turn.mentions.map((m) => m.name.toLowerCase());
  let rest = args.replace(/\boverride\b/, ' ');
  for (const n of mentionNames) rest = rest.replace(n, ' ');
  const programme = await programmeFor(turn, svc, rest.replace(/@/g, ' ').trim(), ['open', 'matching', 'running']);
  if (!programme) return;
  const [mentor, mentee] = turn.mentions;
  const result = await pairByHand(svc, programme, mentor.id, mentee.id, turn.userId, override);
  const names = { mentor: escapeMarkdown(mentor.name), mentee: escapeMarkdown(mentee.name) };
  if (result.kind === 'notParticipants') await turn.send(notice(turn, t(L, 'pairing.manualNotParticipants'), '', 'error'));
  else if (result.kind === 'exists') await turn.send(notice(turn, t(L, 'pairing.manualExists')));
  else if (result.kind === 'rules') {
    await turn.send(notice(turn, t(L, 'pairing.manualRules', names), t(L, 'pairing.manualHint'), 'error', result.violations.map((v) => ruleText(L, v))));
  } else {
    const undelivered = await introduce(svc, programme, [result.pair]);
    const overrideNote = result.pair.override ? t(L, 'pairing.manualOverride', { rules: result.pair.override.split(' ')[0] }) : '';
    const items = undelivered.length ? [t(L, 'pairing.adminNote', { names: undelivered.join(', ') })] : [];
    await turn.send(notice(turn, t(L, 'pairing.manualDone', names), overrideNote, 'success', items));
  }
}

onCommand('pair', async (turn, svc, args) => {
  if (turn.mentions.length) return pairTwo(turn, svc, args);
  const programme = await programmeFor(turn, svc, args, ['open', 'matching', 'running']);
  if (!programme) return;
  await runAndShow(turn, svc, programme);
});

/** Card buttons for a proposal: admin only, a programme that can still pair, a known proposal. */
async function proposalContext(turn: Turn, svc: Services, value: Record<string, unknown>) {
  if (!(await isAdmin(svc.store, turn.tenantId, turn.userId))) {
    await turn.send(notice(turn, t(turn.locale, 'common.notAdmin', { command: 'pair' }), '', 'error'));
    return undefined;
  }
  const r = new Reader(value);
  const programmeId = r.id('programmeId', { required: true });
  const proposalId = r.id('proposalId', { required: true });
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  const record = programme && proposalId ? await proposalRecord(svc, programme, proposalId) : undefined;
  if (!programme || !record || !canPair(programme)) {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return undefined;
  }
  return { programme, record: record.value };
}

onSubmit('pair.approve', async (turn, svc, value) => {
  const ctx = await proposalContext(turn, svc, value);
  if (!ctx) return;
  const L = turn.locale;
  const result = await approve(svc, ctx.programme, ctx.record.id, turn.userId);
  if (result.kind === 'stale' || result.kind === 'missing') {
    await turn.send(notice(turn, t(L, 'pairing.stale'), '', 'error'));
    return;
  }
  if (result.kind === 'already') {
    // Finishing a stalled approval: the pairs nobody was introduced to yet.
    const undelivered = await introduce(svc, ctx.programme, result.resumed);
    const by = result.by ? (await contactOf(svc.store, turn.tenantId, result.by))?.name : undefined;
    const items = undelivered.length ? [t(L, 'pairing.adminNote', { names: undelivered.join(', ') })] : [];
    await turn.send(notice(turn, t(L, 'pairing.alreadyApproved', { by: by ? ` (${escapeMarkdown(by)})` : '' }), '', 'info', items));
    return;
  }
  const undelivered = await introduce(svc, ctx.programme, result.activated);
  const people = await participantsOf(svc, ctx.programme);
  const approved = { ...ctx.record, status: 'approved' as const };
  const pairs = (await svc.store.pairs.list(programmePartition(ctx.programme.tenantId, ctx.programme.id), `proposalId eq '${ctx.record.id}'`)).map((p) => p.value);
  const status = t(L, 'pairing.approved', { admin: escapeMarkdown(turn.userName), count: result.activated.length });
  const card = proposalCard(L, ctx.programme, approved, pairs, people, status);
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
  if (undelivered.length) await turn.send(notice(turn, t(L, 'pairing.adminNote', { names: undelivered.join(', ') })));
});

onSubmit('pair.rerun', async (turn, svc, value) => {
  const ctx = await proposalContext(turn, svc, value);
  if (!ctx) return;
  if (ctx.record.status !== 'open') {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return;
  }
  await runAndShow(turn, svc, ctx.programme, turn.replyToId);
});

onSubmit('pair.swap', async (turn, svc, value) => {
  const ctx = await proposalContext(turn, svc, value);
  if (!ctx) return;
  const L = turn.locale;
  const a = typeof value.pairA === 'string' ? value.pairA : '';
  const b = typeof value.pairB === 'string' ? value.pairB : '';
  const result = await swap(svc, ctx.programme, ctx.record.id, a, b);
  if (result.kind === 'stale') {
    await turn.send(notice(turn, t(L, 'pairing.stale'), '', 'error'));
    return;
  }
  const people = await participantsOf(svc, ctx.programme);
  if (result.kind === 'refused') {
    const items = result.violations.map((v) => `${nameOf(people, v.mentorId)} → ${nameOf(people, v.menteeId)}: ${v.rules.map((r) => ruleText(L, r)).join(', ')}`);
    await turn.send(notice(turn, t(L, 'pairing.swapRefused'), '', 'error', items));
    return;
  }
  const pairs = await proposedPairs(svc, ctx.programme, ctx.record.id);
  const card = proposalCard(L, ctx.programme, ctx.record, pairs, people, t(L, 'pairing.swapped'));
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
});

onSubmit('pair.exclude', async (turn, svc, value) => {
  const ctx = await proposalContext(turn, svc, value);
  if (!ctx) return;
  const pairs = await proposedPairs(svc, ctx.programme, ctx.record.id);
  const pair = pairs.find((p) => p.id === value.excludePair);
  if (!pair || ctx.record.status !== 'open') {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return;
  }
  await exclude(svc, ctx.programme, pair.mentorId, pair.menteeId);
  await turn.send(notice(turn, t(turn.locale, 'pairing.excluded')));
  await runAndShow(turn, svc, ctx.programme, turn.replyToId);
});

onCommand('unpair', async (turn, svc, args) => {
  const L = turn.locale;
  const person = turn.mentions[0];
  if (!person) {
    await turn.send(notice(turn, t(L, 'pairing.unpairUsage'), '', 'error'));
    return;
  }
  const rest = args.replace(person.name.toLowerCase(), ' ').replace(/@/g, ' ').trim();
  const programme = await programmeFor(turn, svc, rest, ['open', 'matching', 'running', 'closing']);
  if (!programme) return;
  const ended = await endPairsOf(svc, programme, person.id);
  const who = escapeMarkdown(person.name);
  if (!ended.length) {
    await turn.send(notice(turn, t(L, 'pairing.unpairedNone', { person: who })));
    return;
  }
  for (const { pair } of ended) {
    for (const [id, partner] of [[pair.mentorId, pair.menteeId], [pair.menteeId, pair.mentorId]]) {
      const contact = await contactOf(svc.store, turn.tenantId, id);
      const partnerName = (await contactOf(svc.store, turn.tenantId, partner))?.name ?? '';
      const locale = contact?.locale ?? 'en';
      await svc.notifier
        .sendToUser(turn.tenantId, id, renderCard('notice', { title: t(locale, 'pairing.unpairedNote', { partner: escapeMarkdown(partnerName), name: escapeMarkdown(programme.name) }), text: '', tone: 'info', items: [], actions: [] }, locale))
        .catch(() => undefined);
    }
  }
  await turn.send(notice(turn, t(L, 'pairing.unpaired', { count: ended.length, person: who }), '', 'success'));
});

// ---------------------------------------------------------------- introductions

function chatLink(upn: string | undefined): string {
  return upn ? `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(upn)}` : '';
}

/** What a person can teach (confident or better) within the programme's levels. */
function teaches(p: Participant, programme: Programme): number[] {
  return programme.levels.filter((l) => (p.skills[l - 1] ?? 0) >= CONFIDENT);
}

export function introductionCard(locale: Locale, programme: Programme, me: Participant, other: Participant, otherUpn?: string) {
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
    },
    locale,
  );
}

/**
 * Sends both people of each pair their introduction. Callers pass only pairs they just
 * activated, so each introduction goes out once; each pair is then marked introduced, so an
 * approval resumed after a crash introduces only the rest. Returns the names that could not be reached.
 */
export async function introduce(svc: Services, programme: Programme, pairs: Pair[]): Promise<string[]> {
  if (!pairs.length) return [];
  const people = await participantsOf(svc, programme);
  const undelivered: string[] = [];
  for (const pair of pairs) {
    if (pair.introducedAt) continue;
    const mentor = people.find((p) => p.userId === pair.mentorId);
    const mentee = people.find((p) => p.userId === pair.menteeId);
    if (!mentor || !mentee) continue;
    for (const [me, other] of [[mentor, mentee], [mentee, mentor]]) {
      const [mine, theirs] = await Promise.all([contactOf(svc.store, programme.tenantId, me.userId), contactOf(svc.store, programme.tenantId, other.userId)]);
      try {
        await svc.notifier.sendToUser(programme.tenantId, me.userId, introductionCard(mine?.locale ?? 'en', programme, me, other, theirs?.upn));
      } catch {
        undelivered.push(escapeMarkdown(me.name || '?'));
      }
    }
    await svc.store.pairs.mutate(programmePartition(programme.tenantId, programme.id), key(pair.id), (p) =>
      p && !p.introducedAt ? { ...p, introducedAt: svc.now().toISOString() } : undefined,
    );
  }
  return undelivered;
}

// ---------------------------------------------------------------- my pair

onCommand('myPair', async (turn, svc) => {
  const L = turn.locale;
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => r.participant.status !== 'left');
  const rows = [];
  for (const { programme } of mine) {
    // The person's own pairs and their partners only: a query and point reads, not the whole cohort.
    for (const pair of (await pairsOf(svc, programme, turn.userId)).filter((p) => p.status === 'active' || p.status === 'paused')) {
      const iAmMentor = pair.mentorId === turn.userId;
      const other = (await participantIn(svc, turn.tenantId, programme.id, iAmMentor ? pair.menteeId : pair.mentorId))?.value;
      if (!other) continue;
      const contact = await contactOf(svc.store, turn.tenantId, other.userId);
      const name = escapeMarkdown(other.name || '?');
      rows.push({
        headline: `${escapeMarkdown(programme.name)}: ${t(L, iAmMentor ? 'pairing.yourMentee' : 'pairing.yourMentor', { name })}`,
        department: escapeMarkdown(other.department),
        seniority: t(L, `seniority.${other.seniority}`),
        since: pair.createdAt.slice(0, 10),
        status: t(L, `profile.statusValue.${pair.status === 'paused' ? 'paused' : 'active'}`),
        chatUrl: chatLink(contact?.upn),
        chatTitle: t(L, 'intro.chat', { name }),
      });
    }
  }
  await turn.send(renderCard('my-pair', { pairs: rows }, L));
});

