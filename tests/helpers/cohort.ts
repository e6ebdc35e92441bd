// A running programme with two approved pairs, built through the bot like people would: the
// starting point for the security, concurrency and fault tests.
import { RecordedActivity, textOf } from '../connector/connector';
import { actionData, createProgramme, join, ProfileAnswers } from './flows';
import { Harness, TestUser, user } from './harness';
import { key } from '../../bot/storage/repository';
import { programmePartition } from '../../bot/storage/store';

export interface Cohort {
  programmeId: string;
  programmeName: string;
  admin: TestUser;
  mentors: TestUser[];
  mentees: TestUser[];
  /** The proposal card and the data of its Approve button (before approval). */
  proposal: RecordedActivity;
  approve: Record<string, unknown>;
}

export function people(tenantId?: string) {
  const mk = (name: string) => user(name, tenantId);
  return {
    mentors: [
      { u: mk('Mia Mentor'), a: { role: 'mentor', department: 'IT', seniority: 'apprentice', skills: [3, 3, 2, 2, 1] } as ProfileAnswers },
      { u: mk('Mo Mentor'), a: { role: 'mentor', department: 'Marketing', seniority: 'staff', skills: [3, 3, 3, 1, 0] } as ProfileAnswers },
    ],
    mentees: [
      { u: mk('Sam Senior'), a: { role: 'mentee', department: 'Sales', seniority: 'director', skills: [1, 0, 0, 0, 0], wantLevels: [1, 2] } as ProfileAnswers },
      { u: mk('Sue Senior'), a: { role: 'mentee', department: 'Finance', seniority: 'executive', skills: [0, 0, 0, 0, 0], wantLevels: [1, 3] } as ProfileAnswers },
    ],
  };
}

/** Creates, opens and fills a programme; proposes pairs and (unless `approve` is false) approves them. */
export async function runningProgramme(h: Harness, admin: TestUser, opts: { name?: string; approve?: boolean; cast?: ReturnType<typeof people> } = {}): Promise<Cohort> {
  const name = opts.name ?? 'Digital Leaders 2027';
  const programmeId = await createProgramme(h, admin, { name, maxMenteesPerMentor: '1' });
  await h.say(admin, `programme open ${name}`);
  const cast = opts.cast ?? people(admin.tenantId);
  for (const p of [...cast.mentors, ...cast.mentees]) {
    const replies = await join(h, p.u, p.a, programmeId);
    if (!/You are in as/.test(replies.map(textOf).join(' '))) throw new Error(`join failed: ${replies.map(textOf).join(' | ')}`);
  }
  const [proposal] = await h.say(admin, `pair ${name}`);
  const approve = actionData(proposal, 'pair.approve');
  if (!approve) throw new Error(`no proposal: ${textOf(proposal)}`);
  if (opts.approve !== false) {
    const replies = await h.submit(admin, approve, { replyToId: proposal.activityId });
    if (!/Approved by/.test(replies.map(textOf).join(' '))) throw new Error(`approval failed: ${replies.map(textOf).join(' | ')}`);
    const pairs = await h.svc.store.pairs.list(programmePartition(admin.tenantId, programmeId), "status eq 'active'");
    if (pairs.length !== 2) throw new Error(`expected 2 active pairs, got ${pairs.length}`);
  }
  return { programmeId, programmeName: name, admin, mentors: cast.mentors.map((m) => m.u), mentees: cast.mentees.map((m) => m.u), proposal, approve };
}

export const programmeKey = (tenantId: string, programmeId: string) => programmePartition(tenantId, programmeId);
export { key };
