// Pairing: "pair" (the proposal card: approve, re-run, swap, exclude), "pair @mentor @mentee",
// "unpair @person", and "my pair".
import { notice } from '../cards/common';
import { myPairCard, MyPairRow, nameIn, proposalCard, ruleText } from '../cards/pairing';
import { escapeMarkdown } from '../cards/render';
import { scheduleLink } from '../cards/sessions';
import { canPair } from '../domain/programme';
import type { Programme, ProposalRecord } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { contactOf } from '../services/contacts';
import { approve, exclude, pairByHand, propose, proposalRecord, proposedPairs, swap } from '../services/matching';
import { introduce, tellBothEnded, tellOtherAdmins } from '../services/pairNotices';
import { endPairsOf, isLivePair, pairsOf, pairsOfProposal } from '../services/pairs';
import { myParticipations, participantIn, participantsOf } from '../services/participants';
import { getProgramme } from '../services/programmes';
import type { Services } from '../services/services';
import { programmeFor } from './programmes';
import { replaceCard, Turn } from './turn';

/** Runs matching and shows the proposal: a new card for the command, in place of the card for a button. */
async function runAndShow(svc: Services, turn: Turn, programme: Programme, inPlace: boolean): Promise<void> {
  const { record, proposal, cohort, directory } = await propose(svc, programme, turn.userId);
  if (!proposal.pairs.length && !proposal.unmatched.length) {
    await turn.send(notice(turn, t(turn.locale, 'pairing.nothing', { mentors: cohort.input.mentors.length, mentees: cohort.input.mentees.length })));
    return;
  }
  const status = directory.kind === 'unavailable' ? t(turn.locale, 'pairing.directoryDown') : '';
  const card = proposalCard(turn.locale, programme, record, await proposedPairs(svc, programme, record.id), cohort.people, status);
  if (inPlace) await replaceCard(turn, card);
  else await turn.send(card);
}

/** Manual pairing: "pair @mentor @mentee [override] [programme]". */
async function pairTwo(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  if (turn.mentions.length !== 2) {
    await turn.send(notice(turn, t(L, 'pairing.manualUsage'), '', 'error'));
    return;
  }
  const override = /\boverride\b/.test(args);
  // What is left after the mentions and "override" names the programme.
  let rest = args.replace(/\boverride\b/, ' ');
  for (const n of turn.mentions.map((m) => m.name.toLowerCase())) rest = rest.replace(n, ' ');
  const programme = await programmeFor(svc, turn, rest.replace(/@/g, ' ').trim(), ['open', 'matching', 'running']);
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
    await tellOtherAdmins(svc, programme, turn.userId, (l) => notice({ locale: l }, t(l, 'pairNews.admin.pairedByHand', { admin: escapeMarkdown(turn.userName), ...names, programme: escapeMarkdown(programme.name) })));
  }
}

export async function pair(svc: Services, turn: Turn, args: string): Promise<void> {
  if (turn.mentions.length) return pairTwo(svc, turn, args);
  const programme = await programmeFor(svc, turn, args, ['open', 'matching', 'running']);
  if (!programme) return;
  await runAndShow(svc, turn, programme, false);
}

/** The proposal a card button names: a programme that can still pair, a known proposal (admin rights are the submit table's). */
async function proposalContext(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<{ programme: Programme; record: ProposalRecord } | undefined> {
  const r = new Reader(value);
  const programmeId = r.id('programmeId', { required: true });
  const proposalId = r.id('proposalId', { required: true });
  const programme = programmeId ? await getProgramme(svc, turn.tenantId, programmeId) : undefined;
  const record = programme && proposalId ? await proposalRecord(svc, programme, proposalId) : undefined;
  if (!programme || !record || !canPair(programme)) {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return undefined;
  }
  return { programme, record };
}

const undeliveredNote = (turn: Turn, names: string[]) => (names.length ? [t(turn.locale, 'pairing.adminNote', { names: names.join(', ') })] : []);

export async function approveProposal(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const ctx = await proposalContext(svc, turn, value);
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
    const by = result.by ? (await contactOf(svc, turn.tenantId, result.by))?.name : undefined;
    await turn.send(notice(turn, t(L, 'pairing.alreadyApproved', { by: by ? ` (${escapeMarkdown(by)})` : '' }), '', 'info', undeliveredNote(turn, undelivered)));
    return;
  }
  const undelivered = await introduce(svc, ctx.programme, result.activated);
  const [people, pairs] = await Promise.all([participantsOf(svc, ctx.programme), pairsOfProposal(svc, ctx.programme, ctx.record.id)]);
  const status = t(L, 'pairing.approved', { admin: escapeMarkdown(turn.userName), count: result.activated.length });
  await replaceCard(turn, proposalCard(L, ctx.programme, { ...ctx.record, status: 'approved' }, pairs, people, status));
  if (undelivered.length) await turn.send(notice(turn, undeliveredNote(turn, undelivered)[0]));
}

export async function rerunProposal(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const ctx = await proposalContext(svc, turn, value);
  if (!ctx) return;
  if (ctx.record.status !== 'open') {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return;
  }
  await runAndShow(svc, turn, ctx.programme, true);
}

export async function swapInProposal(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const ctx = await proposalContext(svc, turn, value);
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
    const items = result.violations.map((v) => `${nameIn(people, v.mentorId)} → ${nameIn(people, v.menteeId)}: ${v.rules.map((r) => ruleText(L, r)).join(', ')}`);
    await turn.send(notice(turn, t(L, 'pairing.swapRefused'), '', 'error', items));
    return;
  }
  const pairs = await proposedPairs(svc, ctx.programme, ctx.record.id);
  await replaceCard(turn, proposalCard(L, ctx.programme, ctx.record, pairs, people, t(L, 'pairing.swapped')));
}

export async function excludeFromProposal(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  const ctx = await proposalContext(svc, turn, value);
  if (!ctx) return;
  const pairs = await proposedPairs(svc, ctx.programme, ctx.record.id);
  const excluded = pairs.find((p) => p.id === value.excludePair);
  if (!excluded || ctx.record.status !== 'open') {
    await turn.send(notice(turn, t(turn.locale, 'pairing.stale'), '', 'error'));
    return;
  }
  await exclude(svc, ctx.programme, excluded.mentorId, excluded.menteeId);
  await turn.send(notice(turn, t(turn.locale, 'pairing.excluded')));
  await runAndShow(svc, turn, ctx.programme, true);
}

export async function unpair(svc: Services, turn: Turn, args: string): Promise<void> {
  const L = turn.locale;
  const person = turn.mentions[0];
  if (!person) {
    await turn.send(notice(turn, t(L, 'pairing.unpairUsage'), '', 'error'));
    return;
  }
  const rest = args.replace(person.name.toLowerCase(), ' ').replace(/@/g, ' ').trim();
  const programme = await programmeFor(svc, turn, rest, ['open', 'matching', 'running', 'closing']);
  if (!programme) return;
  const ended = await endPairsOf(svc, programme, person.id);
  const who = escapeMarkdown(person.name);
  if (!ended.length) {
    await turn.send(notice(turn, t(L, 'pairing.unpairedNone', { person: who })));
    return;
  }
  for (const e of ended) await tellBothEnded(svc, programme, e.pair);
  await turn.send(notice(turn, t(L, 'pairing.unpaired', { count: ended.length, person: who }), '', 'success'));
  await tellOtherAdmins(svc, programme, turn.userId, (l) => notice({ locale: l }, t(l, 'pairNews.admin.unpaired', { admin: escapeMarkdown(turn.userName), person: who, programme: escapeMarkdown(programme.name) })));
}

export async function myPair(svc: Services, turn: Turn): Promise<void> {
  const rows: MyPairRow[] = [];
  for (const { programme, participant } of await myParticipations(svc, turn.tenantId, turn.userId)) {
    if (participant.status === 'left') continue;
    // The person's own pairs and their partners only: a query and point reads, not the whole cohort.
    for (const p of (await pairsOf(svc, programme, turn.userId)).filter(isLivePair)) {
      const iAmMentor = p.mentorId === turn.userId;
      const other = await participantIn(svc, turn.tenantId, programme.id, iAmMentor ? p.menteeId : p.mentorId);
      if (!other) continue;
      const scheduleUrl = svc.calendars.enabled && p.status === 'active' ? scheduleLink(svc.config, programme.id, other.userId) : '';
      rows.push({ programme, pair: p, iAmMentor, other, otherUpn: (await contactOf(svc, turn.tenantId, other.userId))?.upn, scheduleUrl });
    }
  }
  await turn.send(myPairCard(turn.locale, rows));
}
