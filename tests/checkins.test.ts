// Weekly check-ins over the real server, Azurite (Table + Queue) and the Bot Connector stand-in:
// rounds reach both sides of every pair once, answers are stored once and replaced in place,
// forged submits are refused, 429s are waited out, a crash mid-round loses and doubles nothing,
// reminders go to non-responders only, two missed rounds flag a pair, and closing asks for feedback.
import { cardOf, RecordedActivity, textOf } from './connector/connector';
import { actionData, businessAnswers, levelAnswers, createProgramme, join } from './helpers/flows';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { loadConfig } from '../bot/config';
import { runScheduler } from '../bot/checkins/scheduler';
import { startCheckinWorkers, Workers } from '../bot/checkins/workers';
import { createServices } from '../bot/startup';
import { key } from '../bot/storage/repository';
import { pairId, programmePartition, roundPartition } from '../bot/storage/store';
import type { CheckinRecord } from '../bot/domain/types';

const admin = user('Ada Admin');
const mia = user('Mia Mentor');
const max = user('Max Mentor');
const mo = user('Mo Mentor');
const sam = user('Sam Senior');
const sue = user('Sue Senior');
const sid = user('Sid Senior');
const outsider = user('Otto Outsider');
const everyone = [mia, sam, max, sue, mo, sid];
const pairs: Array<[TestUser, TestUser]> = [[mia, sam], [max, sue], [mo, sid]];

const DAY = 86400000;
/** Monday 2027-01-11, 09:30 in Berlin: a week after the programme started, just after its check-in slot. */
const T0 = Date.parse('2027-01-11T08:30:00Z');

async function until(what: string, pred: () => boolean | Promise<boolean>, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('weekly check-ins (over HTTP, Azurite and the Teams stand-in)', () => {
  let h: Harness;
  let programmeId: string;
  let clock = T0;
  let workers: Workers;
  const extra: Workers[] = [];

  const isCard = (u: TestUser, round: number) => (a: RecordedActivity) => a.userId === u.aadObjectId && actionData(a, 'checkin.submit')?.round === round;
  const cardsOf = (u: TestUser, round: number) => h.connector.activities.filter(isCard(u, round));
  const record = async (u: TestUser, round: number) => (await h.svc.store.checkins.get(roundPartition(TENANT, programmeId, round), key(u.aadObjectId)))?.value;
  const answer = (over: Record<string, unknown> = {}) => ({ met: 'yes', tutorials: 'l1-profile', learned: 'How the sales pipeline works', rating: '4', nextSession: '2027-02-01', ...over });
  const submitCard = async (u: TestUser, round: number, over: Record<string, unknown> = {}) => {
    const card = cardsOf(u, round).pop()!;
    return h.submit(u, { ...actionData(card, 'checkin.submit'), ...answer(over) }, { replyToId: card.activityId });
  };
  const pair = async (mentor: TestUser, mentee: TestUser) =>
    (await h.svc.store.pairs.get(programmePartition(TENANT, programmeId), key(pairId(mentor.aadObjectId, mentee.aadObjectId))))!.value;

  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId });
    programmeId = await createProgramme(h, admin, { name: 'Digital Leaders', startDate: '2027-01-04', endDate: '2027-06-30', levels: '1,2', checkinWeekday: 'mon', checkinHour: '9', reminderAfterDays: '3' });
    await h.say(admin, 'programme open');
    for (const m of [mia, max, mo]) await join(h, m, { role: 'mentor', department: 'IT', seniority: 'apprentice', skills: [3, 3, 2, 1, 0] });
    for (const m of [sam, sue, sid]) await join(h, m, { role: 'mentee', department: 'Sales', seniority: 'director', skills: [0, 0, 0, 0, 0], wantLevels: [1, 2] });
    for (const [mentor, mentee] of pairs) {
      const replies = await h.say(admin, `pair @${mentor.name} @${mentee.name}`, { mentions: [mentor, mentee] });
      expect(textOf(replies[replies.length - 1])).toMatch(/now mentors/);
    }
    // Sue never opened a chat with the bot: her first check-in opens the 1:1 conversation.
    const sueContact = (await h.svc.store.users.get(key(TENANT), key(sue.aadObjectId)))!.value;
    await h.svc.store.users.upsert({ ...sueContact, conversationRef: undefined });
    // From here the server lives in January 2027; leases are short so a crash test need not wait long.
    h.svc.now = () => new Date(clock);
    await h.workers().stop();
    workers = startCheckinWorkers(h.svc, { leaseSeconds: 2, maxIdleMs: 500 });
  });
  afterAll(async () => {
    for (const w of [workers, ...extra]) await w?.stop();
    await h?.stop();
  });

  it('admins only: a participant cannot open a round, remind or see status', async () => {
    for (const command of ['checkins send', 'remind', 'status']) {
      const replies = await h.say(sam, command);
      expect(textOf(replies[0])).toMatch(/is for programme admins/);
    }
    expect(await h.svc.store.rounds.list(programmePartition(TENANT, programmeId))).toHaveLength(0);
  });

  it('"checkins send" opens a round that reaches both members of every pair, once', async () => {
    const replies = await h.say(admin, 'checkins send');
    expect(textOf(replies[0])).toMatch(/Check-in 1 of Digital Leaders is open: cards are on their way to 6 people/);
    for (const u of everyone) await h.connector.waitFor(isCard(u, 1));
    // Each side sees its own question; the card names the partner.
    expect(textOf(cardsOf(sam, 1)[0])).toMatch(/What did you learn\?/);
    expect(textOf(cardsOf(sam, 1)[0])).toMatch(/How is it going with Mia Mentor/);
    expect(textOf(cardsOf(mia, 1)[0])).toMatch(/What did you learn about the business\?/);
    // Sue had no chat yet: it was created for her, and is remembered for next time.
    expect(h.connector.counters.created).toBeGreaterThanOrEqual(1);
    await until('Sue\'s new chat to be remembered', async () => !!(await h.svc.store.users.get(key(TENANT), key(sue.aadObjectId)))?.value.conversationRef);
    // Pressing it again opens nothing new and queues nothing.
    const again = await h.say(admin, 'checkins send');
    expect(textOf(again[0])).toMatch(/Check-in 1 of Digital Leaders is already open .*: 6 of 6 cards sent, 0 answered/);
    expect(await h.svc.store.rounds.list(programmePartition(TENANT, programmeId))).toHaveLength(1);
    await until('the queue to drain', async () => h.svc.queue.approximateCount().then((n) => n === 0));
    for (const u of everyone) expect(cardsOf(u, 1)).toHaveLength(1);
    const rec = (await record(sam, 1))!;
    expect(rec).toMatchObject({ dispatch: 'sent', role: 'mentee', pairId: pairId(mia.aadObjectId, sam.aadObjectId) });
    expect(rec.activityId).toBe(cardsOf(sam, 1)[0].activityId);
  });

  it('an answer is stored and the card is replaced in place by a summary; the tutorials count on the mentee\'s ladder', async () => {
    const card = cardsOf(sam, 1)[0];
    const replies = await submitCard(sam, 1, { tutorials: 'l1-profile,l1-network', learned: 'Sales **pipeline** works' });
    const update = replies.find((r) => r.kind === 'update');
    expect(update?.activityId).toBe(card.activityId);
    expect(textOf(update!)).toMatch(/Check-in 1 of Digital Leaders saved/);
    expect(textOf(update!)).toMatch(/Sales \\\*\\\*pipeline\\\*\\\* works/);
    expect(await record(sam, 1)).toMatchObject({ met: 'yes', rating: 4, learned: 'Sales **pipeline** works', tutorials: ['l1-profile', 'l1-network'], nextSession: '2027-02-01' });
    const ladder = await h.svc.store.progress.list(key(TENANT, sam.aadObjectId));
    expect(ladder.map((p) => [p.value.tutorialId, p.value.status, p.value.source]).sort()).toEqual([['l1-network', 'done', 'checkin'], ['l1-profile', 'done', 'checkin']]);
  });

  it('a second press stores nothing new, even when both presses race', async () => {
    const before = (await record(sam, 1))!;
    const replies = await submitCard(sam, 1, { learned: 'changed my mind', rating: '1' });
    expect(textOf(replies[0])).toMatch(/already answered check-in 1 of Digital Leaders. Nothing new was recorded/);
    expect(await record(sam, 1)).toEqual(before);
    // Mia presses twice at once: one answer is stored, the other press is told.
    const card = cardsOf(mia, 1)[0];
    const ladderBefore = (await h.svc.store.progress.list(key(TENANT, sam.aadObjectId))).map((p) => p.value);
    const data = { ...actionData(card, 'checkin.submit'), ...answer({ learned: 'How budgets are approved', tutorials: 'l1-profile,l1-find-people' }) };
    const [a, b] = await Promise.all([h.submit(mia, data, { replyToId: card.activityId }), h.submit(mia, data, { replyToId: card.activityId })]);
    // Each post sees everything the bot sent meanwhile, so count each activity once.
    const texts = [...new Map([...a, ...b].map((x) => [x.kind + x.activityId, x])).values()].map(textOf).join('\n');
    expect(texts.match(/saved/g)).toHaveLength(1);
    expect(texts).toMatch(/already answered/);
    expect((await record(mia, 1))!.learned).toBe('How budgets are approved');
    // The mentor's answer counts on the mentee's ladder: the new tutorial is done, the one done
    // before is left exactly as it was, and the mentor has no ladder of their own.
    const ladder = (await h.svc.store.progress.list(key(TENANT, sam.aadObjectId))).map((p) => p.value);
    expect(ladder.map((p) => [p.tutorialId, p.status, p.source]).sort()).toEqual([['l1-find-people', 'done', 'checkin'], ['l1-network', 'done', 'checkin'], ['l1-profile', 'done', 'checkin']]);
    expect(ladder.find((p) => p.tutorialId === 'l1-profile')).toEqual(ladderBefore.find((p) => p.tutorialId === 'l1-profile'));
    expect(await h.svc.store.progress.list(key(TENANT, mia.aadObjectId))).toEqual([]);
  });

  it('refuses forged or invalid submits with a message and stores nothing', async () => {
    const before = await Promise.all(everyone.map((u) => record(u, 1)));
    const maxCard = actionData(cardsOf(max, 1)[0], 'checkin.submit')!;
    // Sue presses Max's card (forwarded, or forged): it was not sent to her.
    let replies = await h.submit(sue, { ...maxCard, ...answer() });
    expect(textOf(replies[0])).toMatch(/sent to someone else. Nothing was saved/);
    // Sue claims to be herself but names another pair (Mia and Sam's).
    const miaCard = actionData(cardsOf(mia, 1)[0], 'checkin.submit')!;
    replies = await h.submit(sue, { ...miaCard, forUser: sue.aadObjectId, ...answer() });
    expect(textOf(replies[0])).toMatch(/not part of this check-in, or it belongs to another pair/);
    // Someone outside the programme forges a card for themselves.
    replies = await h.submit(outsider, { ...maxCard, forUser: outsider.aadObjectId, ...answer() });
    expect(textOf(replies[0])).toMatch(/not part of this check-in/);
    // A closed or unknown round.
    replies = await h.submit(max, { ...maxCard, round: 7, ...answer() });
    expect(textOf(replies[0])).toMatch(/not part of this check-in/);
    // Required answers and bad values, on the server too.
    replies = await h.submit(max, { ...maxCard, met: 'yes', tutorials: 'l5-drive-adoption,nonsense', learned: '', rating: '9', nextSession: '2026-12-01' });
    const text = textOf(replies[0]);
    expect(text).toMatch(/Please fix this/);
    expect(text).toMatch(/Pick tutorials from this programme's ladder/);
    expect(text).toMatch(/please say what you learned/);
    expect(text).toMatch(/rating must be from 1 to 5/);
    expect(text).toMatch(/cannot be in the past/);
    replies = await h.submit(max, { ...maxCard, met: 'perhaps' });
    expect(textOf(replies[0])).toMatch(/"Did you meet" has a value I don't accept/);
    replies = await h.submit(max, { verb: 'checkin.submit', programmeId: 'nosuchprogramme', round: 1, pairId: 'x', forUser: max.aadObjectId });
    expect(textOf(replies[0])).toMatch(/out of date/);
    expect(await Promise.all(everyone.map((u) => record(u, 1)))).toEqual(before);
  });

  it('Sue answers without meeting; a German client gets the summary in German', async () => {
    const replies = await submitCard(sue, 1, { met: 'rescheduled', tutorials: '', learned: '', rating: '', nextSession: '' });
    const update = replies.find((r) => r.kind === 'update');
    expect(textOf(update!)).toMatch(/saved/);
    const fresh = await h.submit(sue, { ...actionData(cardsOf(sue, 1)[0], 'checkin.submit'), ...answer() }, { locale: 'de-DE' });
    expect(textOf(fresh[0])).toMatch(/schon beantwortet/);
  });

  it('reminders go once, after the configured days, only to those who have not answered', async () => {
    const reminded = () => h.connector.activities.filter((a) => /Reminder: your check-in for Digital Leaders/.test(textOf(a)));
    await runScheduler(h.svc);
    expect(reminded()).toHaveLength(0); // not yet: three days have not passed
    clock = T0 + 3 * DAY + 3600000;
    await runScheduler(h.svc);
    await h.connector.waitFor((a) => /Reminder: your check-in/.test(textOf(a)), 3);
    expect(reminded().map((a) => a.userId).sort()).toEqual([max, mo, sid].map((u) => u.aadObjectId).sort());
    await runScheduler(h.svc);
    const replies = await h.say(admin, 'remind');
    expect(textOf(replies[0])).toMatch(/Nobody to remind in check-in 1/);
    await until('the queue to drain', async () => h.svc.queue.approximateCount().then((n) => n === 0));
    expect(reminded()).toHaveLength(3);
    expect((await record(mo, 1))!.remindedAt).toBeTruthy();
    expect((await record(sam, 1))!.remindedAt).toBeUndefined();
  });

  it('the scheduler opens the next round on the cadence; 429s and 5xx are waited out and nothing is lost or doubled', async () => {
    // Teams allows only 2 messages a second now, and the next 3 requests fail with 503.
    h.connector.limits = { perConversation: [[7, 1000]], perApp: [[2, 1000]] };
    h.connector.failNext(3, 503);
    clock = Date.parse('2027-01-18T08:30:00Z');
    await runScheduler(h.svc);
    const rounds = (await h.svc.store.rounds.list(programmePartition(TENANT, programmeId))).map((r) => r.value);
    expect(rounds.map((r) => [r.round, r.status])).toEqual([[1, 'closed'], [2, 'open']]);
    for (const u of everyone) await h.connector.waitFor(isCard(u, 2), 1, 30000);
    expect(h.connector.counters.throttled).toBeGreaterThan(0);
    expect(h.connector.counters.faults).toBe(3);
    expect(workers.stats.throttled).toBeGreaterThan(0);
    expect(workers.stats.retries).toBeGreaterThanOrEqual(3);
    h.connector.limits = { perConversation: [[7, 1000], [8, 2000], [60, 30000]], perApp: [[50, 1000]] };
    await until('the queue to drain', async () => h.svc.queue.approximateCount().then((n) => n === 0));
    for (const u of everyone) expect(cardsOf(u, 2)).toHaveLength(1);
    // Mia and Sam keep going; the others miss round 2.
    await submitCard(mia, 2);
    await submitCard(sam, 2);
  });

  it('a pair that missed two rounds in a row is flagged at risk and the admins are told', async () => {
    await h.say(admin, 'help'); // the admin's chat is known
    const before = h.connector.sentTo(admin.aadObjectId).length;
    clock = Date.parse('2027-01-25T08:30:00Z');
    // Max blocks the bot before round 3.
    h.connector.block(max.aadObjectId);
    // A network stall: round 3's cards will hang on the wire (the crash test next).
    h.connector.hold((u) => everyone.some((x) => x.aadObjectId === u));
    const replies = await h.say(admin, 'checkins send');
    expect(replies.map(textOf).join('\n')).toMatch(/Check-in 3 of Digital Leaders is open/);
    expect((await pair(mo, sid)).atRisk).toBe(true);
    expect((await pair(max, sue)).atRisk).toBeFalsy(); // Sue answered round 1
    expect((await pair(mia, sam)).atRisk).toBeFalsy();
    const toAdmin = h.connector.sentTo(admin.aadObjectId).slice(before);
    expect(toAdmin.some((a) => /Pair at risk in "Digital Leaders": Mo Mentor and Sid Senior missed two check-ins in a row/.test(textOf(a)))).toBe(true);
  });

  it('a dispatcher killed mid-round is replaced and the round completes with no card lost or sent twice, with two instances', async () => {
    // Round 3's first sends hang in the network; the dispatcher crashes with them on the wire.
    await until('sends to hang', () => h.connector.heldCount >= 1);
    workers.kill();
    await until('the crashed sender\'s connections to close', () => h.connector.heldAbandoned === h.connector.heldCount);
    const held = h.connector.heldCount;
    h.connector.releaseHeld();
    await until('the abandoned requests to be dropped unprocessed', () => h.connector.counters.dropped === held);
    // The crashed worker's leases run out (2 s); two fresh instances share the queue.
    clock += 5000;
    const svc2 = createServices(loadConfig({ ...h.env }));
    svc2.now = () => new Date(clock);
    workers = startCheckinWorkers(h.svc, { leaseSeconds: 2, maxIdleMs: 500 });
    extra.push(startCheckinWorkers(svc2, { leaseSeconds: 2, maxIdleMs: 500 }));
    const reachable = everyone.filter((u) => u !== max);
    for (const u of reachable) await h.connector.waitFor(isCard(u, 3), 1, 30000);
    await until('Max to be marked unreachable', async () => (await record(max, 3))?.dispatch === 'unreachable');
    await until('the queue to drain', async () => h.svc.queue.approximateCount().then((n) => n === 0));
    for (const u of reachable) expect(cardsOf(u, 3)).toHaveLength(1);
    expect(cardsOf(max, 3)).toHaveLength(0);
    const records = (await h.svc.store.checkins.list(roundPartition(TENANT, programmeId, 3))).map((r) => r.value as CheckinRecord & { leaseId?: string });
    expect(records.filter((r) => r.dispatch === 'sent')).toHaveLength(5);
    expect(records.every((r) => !r.leaseId)).toBe(true);
  });

  it('"checkin" opens my card of the open round on demand; answering lifts the at-risk flag', async () => {
    const replies = await h.say(sid, 'checkin');
    const card = replies.find((r) => actionData(r, 'checkin.submit'));
    expect(actionData(card!, 'checkin.submit')).toMatchObject({ round: 3, forUser: sid.aadObjectId });
    const done = await h.submit(sid, { ...actionData(card!, 'checkin.submit'), ...answer({ tutorials: 'l2-communities' }) }, { replyToId: card!.activityId });
    expect(done.some((r) => r.kind === 'update' && /saved/.test(textOf(r)))).toBe(true);
    expect((await pair(mo, sid)).atRisk).toBe(false);
    const again = await h.say(sid, 'checkin');
    expect(textOf(again[0])).toMatch(/already answered check-in 3/);
    // Someone without a pair is told so.
    const nobody = await h.say(outsider, 'checkin');
    expect(textOf(nobody[0])).toMatch(/not in an active pair/);
  });

  it('"status" shows response rates per round, at-risk pairs and unreachable people', async () => {
    // Put Mo and Sid at risk again for the status view.
    await h.svc.store.pairs.mutate(programmePartition(TENANT, programmeId), key(pairId(mo.aadObjectId, sid.aadObjectId)), (p) => (p ? { ...p, atRisk: true } : undefined));
    const replies = await h.say(admin, 'status');
    const text = textOf(replies[0]);
    expect(text).toMatch(/Health: Digital Leaders/);
    expect(text).toMatch(/Round 1 \(2027-01-11\)\n3 of 6 answered \(50%\) · 6 sent · closed/);
    expect(text).toMatch(/Round 2 \(2027-01-18\)\n2 of 6 answered \(33%\) · 6 sent · closed/);
    expect(text).toMatch(/Round 3 \(2027-01-25\)\n1 of 6 answered \(17%\) · 5 sent · open/);
    expect(text).toMatch(/Mo Mentor → Sid Senior/);
    expect(text).toMatch(/Max Mentor \(Mentor\)/);
  });

  it('the card\'s buttons: ask an admin for help, pause the pair (and resume)', async () => {
    const card = cardsOf(sam, 3)[0];
    const before = h.connector.sentTo(admin.aadObjectId).length;
    let replies = await h.submit(sam, actionData(card, 'checkin.help')!);
    expect(textOf(replies[replies.length - 1])).toMatch(/admins know that you would like help/);
    const toAdmin = h.connector.sentTo(admin.aadObjectId).slice(before);
    expect(toAdmin.some((a) => /Sam Senior asks for help with their pair in "Digital Leaders"/.test(textOf(a)))).toBe(true);
    // Someone outside the pair cannot raise it.
    replies = await h.submit(outsider, actionData(card, 'checkin.help')!);
    expect(textOf(replies[0])).toMatch(/not part of this check-in/);
    // "Pause our pair" is the pause command for this programme: it asks until when.
    replies = await h.submit(sam, actionData(card, 'command')!);
    expect(textOf(replies[0])).toMatch(/Pause in Digital Leaders/);
    replies = await h.submit(sam, { ...actionData(replies[0], 'pause.confirm'), how: 'open' });
    expect(textOf(replies[0])).toMatch(/You are paused in Digital Leaders/);
    expect((await pair(mia, sam)).status).toBe('paused');
    await h.say(sam, 'resume');
    expect((await pair(mia, sam)).status).toBe('active');
  });

  it('"programme close" sends both sides the feedback survey; answers are stored once and shown in status', async () => {
    const moCard = cardsOf(mo, 3)[0];
    const replies = await h.say(admin, 'programme close');
    expect(textOf(replies[replies.length - 1])).toMatch(/closing|closed/i);
    const isSurvey = (u: TestUser) => (a: RecordedActivity) => a.userId === u.aadObjectId && !!actionData(a, 'feedback.submit');
    for (const u of everyone.filter((x) => x !== max)) await h.connector.waitFor(isSurvey(u));
    await until('Max\'s survey to be marked unreachable', async () => (await h.svc.store.checkins.get(roundPartition(TENANT, programmeId, 0), key(max.aadObjectId)))?.value.dispatch === 'unreachable');
    // Round 3 ended with the programme: a late check-in is refused.
    const late = await h.submit(mo, { ...actionData(moCard, 'checkin.submit'), ...answer() }, { replyToId: moCard.activityId });
    expect(textOf(late[0])).toMatch(/Check-in 3 of Digital Leaders is closed/);

    const survey = h.connector.activities.find(isSurvey(sam))!;
    const data = actionData(survey, 'feedback.submit')!;
    // Invalid, then forged, then right, then twice.
    let r = await h.submit(sam, { ...data, valueOfOneToOne: '7', recommend: 'maybe', level1: '9' });
    expect(textOf(r[0])).toMatch(/Value of the 1:1 setting must be from 1 to 5/);
    expect(textOf(r[0])).toMatch(/Flexibility is required/);
    expect(textOf(r[0])).toMatch(/Would recommend \(0-10\) must be from 0 to 10/);
    expect(textOf(r[0])).toMatch(/“1 Platform first steps” must be from 0 to 3/);
    expect(textOf(r[0])).toMatch(/Please rate “2 Social media & digital workplace in the company”/);
    r = await h.submit(mia, { ...data, valueOfOneToOne: '5', flexibility: '4', recommend: '9', ...businessAnswers(2) });
    expect(textOf(r[0])).toMatch(/sent to someone else/);
    expect(await h.svc.store.feedback.list(programmePartition(TENANT, programmeId))).toHaveLength(0);
    r = await h.submit(sam, { ...data, valueOfOneToOne: '5', flexibility: '4', recommend: '9', ...levelAnswers([1, 2], [2, 1]), change: 'More time for level 2' }, { replyToId: survey.activityId });
    const update = r.find((x) => x.kind === 'update');
    expect(update?.activityId).toBe(survey.activityId);
    expect(textOf(update!)).toMatch(/Thank you for your feedback on Digital Leaders/);
    r = await h.submit(sam, { ...data, valueOfOneToOne: '1', flexibility: '1', recommend: '0', ...levelAnswers([1, 2], 0) });
    expect(textOf(r[0])).toMatch(/already gave feedback/);
    const stored = await h.svc.store.feedback.list(programmePartition(TENANT, programmeId));
    expect(stored.map((f) => f.value)).toEqual([expect.objectContaining({
      userId: sam.aadObjectId, role: 'mentee', phase: 'end', valueOfOneToOne: 5, flexibility: 4, recommend: 9, levels: { '1': 2, '2': 1 }, change: 'More time for level 2',
    })]);

    // One answer is one person's answer: admins see how many answered, not what.
    let status = textOf((await h.say(admin, 'status'))[0]);
    expect(status).toMatch(/1 of 6 answered; results show from 3 answers by people other than you/);
    expect(status).not.toMatch(/1:1 value/);
    // From three answers on, the averages; never anyone's words.
    for (const [u, value, flexibility, recommend] of [[mia, '3', '2', '4'], [mo, '4', '3', '8']] as const) {
      const s = h.connector.activities.find(isSurvey(u))!;
      await h.submit(u, { ...actionData(s, 'feedback.submit'), valueOfOneToOne: value, flexibility, recommend, ...businessAnswers(2), change: `${u.name} would change the cadence` });
    }
    status = textOf((await h.say(admin, 'status'))[0]);
    expect(status).toMatch(/3 of 6 answered · 1:1 value 4\/5 · flexibility 3\/5 · would recommend 7\/10/);
    expect(status).not.toMatch(/More time for level 2|would change the cadence/);
    expect(cardOf(replies[0])).toBeDefined();
  });
});
