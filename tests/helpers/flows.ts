// Conversation steps shared by bot tests: what a person does in Teams, as activities.
import { cardOf, RecordedActivity, textOf } from '../connector/connector';
import type { Harness, TestUser } from './harness';

export interface ProfileAnswers {
  role: 'mentor' | 'mentee';
  department: string;
  seniority: string;
  skills: number[];
  wantLevels?: number[];
  languages?: string;
  timeZone?: string;
  preferredDays?: string;
  sessionsPerMonth?: string;
}

/** Finds an Action.Submit's data by verb in a recorded card. */
export function actionData(a: RecordedActivity, verb: string): Record<string, any> | undefined {
  let found: Record<string, any> | undefined;
  const walk = (n: any) => {
    if (!n || typeof n !== 'object' || found) return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'Action.Submit' && n.data?.verb === verb) found = n.data;
    Object.values(n).forEach(walk);
  };
  walk(cardOf(a));
  return found;
}

/** Input ids present in a recorded card. */
export function inputIds(a: RecordedActivity): string[] {
  const ids: string[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id) ids.push(n.id);
    Object.values(n).forEach(walk);
  };
  walk(cardOf(a));
  return ids;
}

/** The value an input shows before anyone touches it (its prefill), by id; undefined if the card has no such input. */
export function inputValue(a: RecordedActivity, id: string): unknown {
  let found: { value?: unknown } | undefined;
  const walk = (n: any) => {
    if (!n || typeof n !== 'object' || found) return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type === 'string' && n.type.startsWith('Input.') && n.id === id) found = n;
    else Object.values(n).forEach(walk);
  };
  walk(cardOf(a));
  return found ? found.value ?? '' : undefined;
}

/** Every Action.OpenUrl button of a recorded card (in actions and in ActionSets), as title and URL. */
export function openUrls(a: RecordedActivity): Array<{ title: string; url: string }> {
  const out: Array<{ title: string; url: string }> = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (n.type === 'Action.OpenUrl') out.push({ title: String(n.title), url: String(n.url) });
    Object.values(n).forEach(walk);
  };
  walk(cardOf(a));
  return out;
}

export const programmeForm = (over: Record<string, unknown> = {}) => ({
  name: 'Digital Leaders 2027',
  objectives: 'Senior managers learn the digital workplace; juniors learn how the business runs.',
  startDate: '2027-01-04',
  endDate: '2027-06-30',
  levels: '1,2,3,4',
  cadenceWeeks: '1',
  enrolment: 'open',
  maxMenteesPerMentor: '1',
  timeZone: 'Europe/Berlin',
  checkinWeekday: 'mon',
  checkinHour: '9',
  reminderAfterDays: '3',
  ...over,
});

/** An admin creates a programme through the card; returns its id. */
export async function createProgramme(h: Harness, admin: TestUser, over: Record<string, unknown> = {}): Promise<string> {
  const [form] = await h.say(admin, 'programme new');
  const data = actionData(form, 'programme.create');
  if (!data) throw new Error(`no programme form: ${textOf(form)}`);
  const replies = await h.submit(admin, { ...data, ...programmeForm(over) }, { replyToId: form.activityId });
  if (!replies.some((r) => /created as a draft/.test(textOf(r)))) throw new Error(`programme not created: ${replies.map(textOf).join(' | ')}`);
  return data.formId;
}

/** A person types join, gets the form and submits it. Returns the bot's answers to the submit. */
export async function join(h: Harness, u: TestUser, a: ProfileAnswers, programmeId?: string): Promise<RecordedActivity[]> {
  // The form (a slow directory look-up makes teams-ai send a typing indicator first).
  const said = await h.say(u, 'join');
  const form = said.find((r) => actionData(r, 'profile.save')) ?? said[0];
  const data = actionData(form, 'profile.save');
  if (!data) throw new Error(`no join form: ${textOf(form)}`);
  return h.submit(
    u,
    {
      ...data,
      ...(programmeId && inputIds(form).includes('programmeId') ? { programmeId } : {}),
      role: a.role,
      department: a.department,
      seniority: a.seniority,
      languages: a.languages ?? 'en,de',
      timeZone: a.timeZone ?? 'Europe/Berlin',
      sessionsPerMonth: a.sessionsPerMonth ?? '2',
      preferredDays: a.preferredDays ?? 'tue,thu',
      ...Object.fromEntries(a.skills.map((s, i) => [`skill${i + 1}`, String(s)])),
      wantLevels: (a.wantLevels ?? []).join(','),
      consent: 'true',
    },
    { replyToId: form.activityId },
  );
}

/** The shipped business items (bot/ladder/business.en.json), in order. */
export const BUSINESS_ITEMS = ['strategy', 'decisions', 'customers', 'money', 'unwritten-rules', 'leadership'];

/** A survey card's level ratings: `{ level1: '2', ... }`, one value for all or one per level. */
export function levelAnswers(levels: number[], value: number | number[]): Record<string, string> {
  return Object.fromEntries(levels.map((l, i) => [`level${l}`, String(Array.isArray(value) ? value[i] : value)]));
}

/** A card's business ratings: `{ 'business-strategy': '1', ... }`, one value for all or one per item. */
export function businessAnswers(value: number | number[]): Record<string, string> {
  return Object.fromEntries(BUSINESS_ITEMS.map((id, i) => [`business-${id}`, String(Array.isArray(value) ? value[i] : value)]));
}
