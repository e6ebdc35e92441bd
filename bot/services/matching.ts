// Matching use cases: run the optimal assignment for a programme and store it as a proposal,
// swap or exclude within it, approve it (exactly once, even with two admins at once), and
// pair two people by hand. The proposals table and the proposal side of the pairs table
// (proposed pairs, their approval, manual pairs) are written here.
import { checkHardRules, match, MatchInput, Proposal, RuleViolation, scoreEdge } from '../domain/matching';
import type { Pair, Participant, Programme, ProposalRecord } from '../domain/types';
import { odata } from '@azure/data-tables';
import { AlreadyExistsError, ConcurrencyError, key } from '../storage/repository';
import { pairId, programmePartition } from '../storage/store';
import { refreshProgramme, Refresh } from './entra';
import { recordBaselines } from './baselines';
import { pairsIn, pairsOfProposal } from './pairs';
import { excludeEachOther, participantsOf } from './participants';
import { newId, transition } from './programmes';
import type { Services } from './services';

const LIVE: Pair['status'][] = ['active', 'paused'];

export interface Cohort {
  programme: Programme;
  people: Participant[];
  pairs: Pair[];
  input: MatchInput;
}

/** Everyone who can still be matched, with what limits them (load, past partners, exclusions). */
export async function cohortOf(svc: Services, programme: Programme): Promise<Cohort> {
  const [people, pairs] = await Promise.all([participantsOf(svc, programme), pairsIn(svc, programme)]);
  const live = pairs.filter((p) => LIVE.includes(p.status));
  const pairedMentees = new Set(live.map((p) => p.menteeId));
  const existingLoad: Record<string, number> = {};
  for (const p of live) existingLoad[p.mentorId] = (existingLoad[p.mentorId] ?? 0) + 1;
  const active = people.filter((p) => p.status === 'active');
  return {
    programme,
    people,
    pairs,
    input: {
      programme,
      mentors: active.filter((p) => p.role === 'mentor'),
      // A mentee has one mentor: those already paired are not matched again.
      mentees: active.filter((p) => p.role === 'mentee' && !pairedMentees.has(p.userId)),
      pastPairs: pairs.filter((p) => p.status === 'ended').map(({ mentorId, menteeId }) => ({ mentorId, menteeId })),
      existingLoad,
    },
  };
}

/**
 * Runs matching and stores the result as the programme's one open proposal: earlier open
 * proposals are superseded and their proposed pairs removed. The directory is read first, so
 * that moves and new managers count; if it cannot be reached, the last facts read are used.
 */
export async function propose(
  svc: Services, programme: Programme, by: string,
): Promise<{ record: ProposalRecord; proposal: Proposal; cohort: Cohort; directory: Refresh }> {
  const directory = await refreshProgramme(svc, programme);
  const cohort = await cohortOf(svc, programme);
  const proposal = match(cohort.input);
  const pk = programmePartition(programme.tenantId, programme.id);
  const record: ProposalRecord = {
    tenantId: programme.tenantId,
    programmeId: programme.id,
    id: newId(),
    status: 'open',
    createdBy: by,
    createdAt: svc.now().toISOString(),
    pairCount: proposal.pairs.length,
    totalScore: proposal.totalScore,
    unmatched: proposal.unmatched.map((u) => ({ userId: u.userId, role: u.role, reason: u.reason })),
  };
  for (const old of await svc.store.proposals.list(pk, odata`status eq ${'open'}`)) {
    await svc.store.proposals.mutate(pk, key(old.value.id), (p) => (p && p.status === 'open' ? { ...p, status: 'superseded' } : undefined));
  }
  const stale = cohort.pairs.filter((p) => p.status === 'proposed');
  await Promise.all(stale.map((p) => svc.store.pairs.delete(pk, key(p.id)).catch(() => false)));
  await writeProposed(svc, programme, record.id, proposal.pairs);
  await svc.store.proposals.create(record);
  await transition(svc, programme.tenantId, programme.id, 'matching', {}, ['open']);
  return { record, proposal, cohort, directory };
}

async function writeProposed(svc: Services, programme: Programme, proposalId: string, pairs: Proposal['pairs']): Promise<void> {
  const now = svc.now().toISOString();
  const rows: Pair[] = pairs.map((p) => ({
    tenantId: programme.tenantId,
    programmeId: programme.id,
    id: pairId(p.mentorId, p.menteeId),
    mentorId: p.mentorId,
    menteeId: p.menteeId,
    status: 'proposed',
    score: p.score,
    reasons: p.reasons,
    proposalId,
    createdAt: now,
  }));
  // One partition: batches of up to 100 rows, each all-or-nothing.
  for (let i = 0; i < rows.length; i += 100) await svc.store.pairs.transaction(rows.slice(i, i + 100).map((r) => ['upsert', r]));
}

export async function proposalRecord(svc: Services, programme: Pick<Programme, 'tenantId' | 'id'>, proposalId: string): Promise<ProposalRecord | undefined> {
  return (await svc.store.proposals.get(programmePartition(programme.tenantId, programme.id), key(proposalId)))?.value;
}

export const proposedPairs = (svc: Services, programme: Pick<Programme, 'tenantId' | 'id'>, proposalId: string): Promise<Pair[]> =>
  pairsOfProposal(svc, programme, proposalId, 'proposed');

export type ApproveResult =
  | { kind: 'approved'; activated: Pair[] }
  | { kind: 'already'; by?: string; resumed: Pair[] }
  | { kind: 'stale' }
  | { kind: 'missing' };

/**
 * Approves a proposal. The proposal's ETag decides which of two racing admins approves; each
 * proposed pair is then activated with its own ETag, so a pair (and its introductions) is
 * activated exactly once even if an approval is retried after a crash.
 */
/** An approval older than this that left pairs behind is resumed by the next press. */
export const STALLED_APPROVAL_MS = 30_000;

export async function approve(svc: Services, programme: Programme, proposalId: string, by: string): Promise<ApproveResult> {
  const pk = programmePartition(programme.tenantId, programme.id);
  let outcome: ApproveResult | undefined;
  let approvedAt: string | undefined;
  try {
    await svc.store.proposals.mutate(
      pk,
      key(proposalId),
      (p) => {
        if (!p) outcome = { kind: 'missing' };
        else if (p.status === 'superseded') outcome = { kind: 'stale' };
        else if (p.status === 'approved') {
          outcome = { kind: 'already', by: p.approvedBy, resumed: [] };
          approvedAt = p.approvedAt;
        }
        else return { ...p, status: 'approved', approvedBy: by, approvedAt: svc.now().toISOString() };
        return undefined;
      },
      { attempts: 1 },
    );
  } catch (err) {
    if (!(err instanceof ConcurrencyError)) throw err;
    const now = await proposalRecord(svc, programme, proposalId);
    return { kind: 'already', by: now?.approvedBy, resumed: [] };
  }
  // An approval that stalled half-way (storage or the server went down after the proposal was
  // marked approved) is finished by the next press: the rest of its pairs are activated and the
  // pairs nobody introduced yet are returned for their introductions. A live race is left alone.
  if (outcome?.kind === 'already' && approvedAt && svc.now().getTime() - Date.parse(approvedAt) > STALLED_APPROVAL_MS) {
    await activateProposed(svc, programme, proposalId, outcome.by ?? by);
    outcome.resumed = (await pairsOfProposal(svc, programme, proposalId, 'active')).filter((p) => !p.introducedAt);
  }
  if (outcome) return outcome;
  return { kind: 'approved', activated: await activateProposed(svc, programme, proposalId, by) };
}

/** Activates a proposal's remaining proposed pairs; returns the ones this call activated. */
export async function activateProposed(svc: Services, programme: Programme, proposalId: string, by: string): Promise<Pair[]> {
  const pk = programmePartition(programme.tenantId, programme.id);
  const activated: Pair[] = [];
  for (const pair of await proposedPairs(svc, programme, proposalId)) {
    try {
      const { changed, value } = await svc.store.pairs.mutate(
        pk,
        key(pair.id),
        (p) => (p && p.status === 'proposed' && p.proposalId === proposalId ? { ...p, status: 'active', approvedBy: by } : undefined),
        { attempts: 1 },
      );
      if (changed && value) activated.push(value);
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err; // someone else activated it
    }
  }
  await transition(svc, programme.tenantId, programme.id, 'running', {}, ['open', 'matching']);
  // Their self-assessment as it stands now is where they start (for the outcome report).
  await recordBaselines(svc, programme, activated.flatMap((p) => [p.mentorId, p.menteeId]));
  return activated;
}

export type SwapResult = { kind: 'swapped'; pairs: Pair[] } | { kind: 'refused'; violations: Array<{ mentorId: string; menteeId: string; rules: RuleViolation[] }> } | { kind: 'stale' };

/** Exchanges the mentees of two proposed pairs, if both new pairs keep every hard rule. */
export async function swap(svc: Services, programme: Programme, proposalId: string, aId: string, bId: string): Promise<SwapResult> {
  const record = await proposalRecord(svc, programme, proposalId);
  const pairs = await proposedPairs(svc, programme, proposalId);
  const a = pairs.find((p) => p.id === aId);
  const b = pairs.find((p) => p.id === bId);
  if (!record || record.status !== 'open' || !a || !b || a.id === b.id) return { kind: 'stale' };
  const cohort = await cohortOf(svc, programme);
  const person = (id: string) => cohort.people.find((p) => p.userId === id)!;
  // Each mentor keeps their load: the swap exchanges mentees, so capacity is unchanged.
  const check = (mentorId: string, menteeId: string) => ({
    mentorId,
    menteeId,
    rules: checkHardRules(person(mentorId), person(menteeId), { ...cohort.input, existingLoad: {} }),
  });
  const results = [check(a.mentorId, b.menteeId), check(b.mentorId, a.menteeId)];
  const violations = results.filter((r) => r.rules.length);
  if (violations.length) return { kind: 'refused', violations };
  const pk = programmePartition(programme.tenantId, programme.id);
  const fresh: Pair[] = results.map(({ mentorId, menteeId }) => {
    const { score, reasons } = scoreEdge(person(mentorId), person(menteeId), programme);
    return { ...a, id: pairId(mentorId, menteeId), mentorId, menteeId, score, reasons, createdAt: svc.now().toISOString() };
  });
  // Old and new rows live in one partition: one all-or-nothing transaction.
  await svc.store.pairs.transaction([['delete', a], ['delete', b], ['upsert', fresh[0]], ['upsert', fresh[1]]]);
  return { kind: 'swapped', pairs: fresh };
}

/** Records that two people must never be paired (both sides), removing the proposed pair. */
export async function exclude(svc: Services, programme: Programme, mentorId: string, menteeId: string): Promise<void> {
  const pk = programmePartition(programme.tenantId, programme.id);
  await excludeEachOther(svc, programme, mentorId, menteeId);
  const row = await svc.store.pairs.get(pk, key(pairId(mentorId, menteeId)));
  if (row?.value.status === 'proposed') await svc.store.pairs.delete(pk, key(row.value.id), row.etag).catch(() => false);
}

export type ManualResult =
  | { kind: 'paired'; pair: Pair }
  | { kind: 'rules'; violations: RuleViolation[] }
  | { kind: 'notParticipants' }
  | { kind: 'exists'; pair: Pair };

/** Pairs two people by hand. A broken hard rule needs an explicit override, which is recorded. */
export async function pairByHand(svc: Services, programme: Programme, mentorId: string, menteeId: string, by: string, override: boolean): Promise<ManualResult> {
  const cohort = await cohortOf(svc, programme);
  const mentor = cohort.people.find((p) => p.userId === mentorId && p.role === 'mentor' && p.status === 'active');
  const mentee = cohort.people.find((p) => p.userId === menteeId && p.role === 'mentee' && p.status === 'active');
  if (!mentor || !mentee) return { kind: 'notParticipants' };
  const existing = cohort.pairs.find((p) => p.id === pairId(mentorId, menteeId));
  if (existing && LIVE.includes(existing.status)) return { kind: 'exists', pair: existing };
  const violations = checkHardRules(mentor, mentee, cohort.input);
  if (cohort.pairs.some((p) => p.menteeId === menteeId && LIVE.includes(p.status))) violations.push({ rule: 'capacity' });
  if (violations.length && !override) return { kind: 'rules', violations };
  const { score, reasons } = scoreEdge(mentor, mentee, programme);
  const now = svc.now().toISOString();
  const pair: Pair = {
    tenantId: programme.tenantId, programmeId: programme.id, id: pairId(mentorId, menteeId), mentorId, menteeId, status: 'active',
    score, reasons, proposalId: 'manual', approvedBy: by, createdAt: now,
    ...(violations.length ? { override: `${violations.map((v) => v.rule).join(',')} overridden by ${by} at ${now}` } : {}),
  };
  const pk = programmePartition(programme.tenantId, programme.id);
  try {
    if (existing) await svc.store.pairs.replace(pair, (await svc.store.pairs.get(pk, key(pair.id)))!.etag);
    else await svc.store.pairs.create(pair);
  } catch (err) {
    if (err instanceof AlreadyExistsError || err instanceof ConcurrencyError) {
      const now_ = (await svc.store.pairs.get(pk, key(pair.id)))!.value;
      return { kind: 'exists', pair: now_ };
    }
    throw err;
  }
  await transition(svc, programme.tenantId, programme.id, 'running', {}, ['open', 'matching']);
  await recordBaselines(svc, programme, [mentorId, menteeId]);
  return { kind: 'paired', pair };
}
