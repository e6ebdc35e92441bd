// Faults: storage stopped mid-test (our own Azurite, stopped and restarted on the same ports),
// storage failing in the middle of a multi-record change (a proxy that cuts the connection after
// N writes), and the Teams connector answering 5xx and 429.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { textOf } from './connector/connector';
import { Cohort, runningProgramme } from './helpers/cohort';
import { actionData } from './helpers/flows';
import { FaultProxy, startFaultProxy } from './helpers/faultProxy';
import { Harness, startHarness, TENANT, TestUser, user } from './helpers/harness';
import { diff, snapshot } from './helpers/snapshot';
import { AzuriteHandle, startAzurite } from '../bot/dev/azurite';
import { key } from '../bot/storage/repository';
import { programmePartition } from '../bot/storage/store';
import type { Pair } from '../bot/domain/types';

const unavailable = /temporarily unavailable \(storage cannot be reached\)\. Nothing was changed/;
const joinValues = (programmeId: string, formFor: string) => ({
  verb: 'profile.save', formFor, programmeId, role: 'mentee', department: 'Legal', seniority: 'executive', languages: 'en', timeZone: 'Europe/Berlin',
  sessionsPerMonth: '2', preferredDays: 'tue', skill1: '0', skill2: '0', skill3: '0', skill4: '0', skill5: '0', wantLevels: '1', consent: 'true',
});

describe('faults', () => {
  let dir: string;
  let azurite: AzuriteHandle;
  let proxy: FaultProxy;
  let h: Harness;
  const admin = user('Ada Admin');
  const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  const health = async () => {
    const res = await fetch(`${h.url}/healthz`);
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-faults-'));
    // Our own emulator, with data on disk so a restart keeps it; the shared one is never touched.
    azurite = await startAzurite({ location: dir });
    proxy = await startFaultProxy(azurite.tablePort, azurite.queuePort);
    h = await startHarness({ AZURE_STORAGE_CONNECTION_STRING: proxy.connectionString, BOT_ADMINS: admin.aadObjectId });
  });
  afterAll(async () => {
    await h.stop();
    await proxy.stop();
    await azurite.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    errors.mockRestore();
  });

  describe('storage stopped and restarted', () => {
    let c: Cohort;
    const newcomer = user('Nora Newcomer');

    it('while storage is down every command says "temporarily unavailable", /healthz reports it, and nothing half-written remains after it returns', async () => {
      c = await runningProgramme(h, admin);
      await h.say(newcomer, 'help');
      const [form] = await h.say(newcomer, 'join');
      const joinForm = { ...actionData(form, 'profile.save')!, ...joinValues(c.programmeId, newcomer.aadObjectId) };
      expect(await health()).toEqual({ status: 200, body: { status: 'ok', storage: 'reachable' } });
      const before = await snapshot(h.svc.store);

      await azurite.stop();
      const answers = [
        await h.say(newcomer, 'join'),
        await h.submit(newcomer, joinForm),
        await h.say(admin, `unpair @${c.mentees[0].name}`, { mentions: [c.mentees[0]] }),
        await h.say(c.mentors[0], 'leave'),
        await h.say(c.mentees[1], 'my data'),
        await h.say(admin, 'programmes'),
      ];
      for (const replies of answers) expect(replies.map(textOf).join('\n')).toMatch(unavailable);
      expect(await health()).toEqual({ status: 503, body: { status: 'degraded', storage: 'unreachable' } });
      const api = await fetch(`${h.url}/api/programmes`, { headers: { 'x-local-user': admin.aadObjectId, 'x-local-tenant': TENANT } });
      expect(api.status).toBe(503);
      expect((await api.json()).error).toBe('storage-unavailable');

      azurite = await startAzurite({ location: dir, tablePort: azurite.tablePort, queuePort: azurite.queuePort });
      expect(await health()).toEqual({ status: 200, body: { status: 'ok', storage: 'reachable' } });
      expect(diff(before, await snapshot(h.svc.store))).toEqual([]);

      // And it simply works again.
      const again = await h.submit(newcomer, joinForm);
      expect(again.map(textOf).join()).toMatch(/You are in as Mentee/);
    });
  });

  describe('storage failing in the middle of a multi-record change', () => {
    const later = (h: Harness, ms: number) => {
      const real = h.svc.now;
      h.svc.now = () => new Date(Date.now() + ms);
      return () => (h.svc.now = real);
    };

    it('an approval cut half-way is finished by the next press: every pair active, every introduction sent once', async () => {
      const c = await runningProgramme(h, admin, { name: 'Cut Approval', approve: false });
      const pk = programmePartition(TENANT, c.programmeId);
      // Proposal marked approved, first pair activated, then storage goes away.
      proxy.failAfterWrites(2);
      const cut = await h.submit(admin, c.approve);
      proxy.heal();
      expect(cut.map(textOf).join()).toMatch(unavailable);
      const half = (await h.svc.store.pairs.list(pk)).map((r) => r.value.status).sort();
      expect(half).toEqual(['active', 'proposed']);

      // Pressed again a minute later: the rest is activated and everyone introduced once.
      const restore = later(h, 60_000);
      try {
        const again = await h.submit(admin, c.approve);
        expect(again.map(textOf).join()).toMatch(/already approved/);
      } finally {
        restore();
      }
      const pairs = (await h.svc.store.pairs.list(pk)).map((r) => r.value as Pair);
      expect(pairs.map((p) => p.status)).toEqual(['active', 'active']);
      expect(pairs.every((p) => p.introducedAt)).toBe(true);
      for (const u of [...c.mentors, ...c.mentees]) {
        expect(h.connector.activities.filter((a) => a.userId === u.aadObjectId && /^Meet your/.test(textOf(a)))).toHaveLength(1);
      }
      expect((await h.svc.store.programmes.get(key(TENANT), key(c.programmeId)))!.value.status).toBe('running');
      // A third press changes nothing and introduces nobody again.
      const sent = h.connector.activities.length;
      await h.submit(admin, c.approve);
      expect(h.connector.activities.slice(sent).filter((a) => /^Meet your/.test(textOf(a)))).toHaveLength(0);
    });

    it('an erasure cut half-way is finished by pressing again: no trace of the person, one anonymous pair', async () => {
      const c = await runningProgramme(h, admin, { name: 'Cut Erasure' });
      const pk = programmePartition(TENANT, c.programmeId);
      const sam = c.mentees[0];
      const [confirm] = await h.say(sam, 'forget me');
      const data = actionData(confirm, 'data.forget')!;
      proxy.failAfterWrites(3);
      const cut = await h.submit(sam, data);
      proxy.heal();
      expect(cut.map(textOf).join()).toMatch(unavailable);
      const again = await h.submit(sam, data);
      expect(again.map(textOf).join()).toMatch(/everything about you is erased/);
      const all = JSON.stringify(await snapshot(h.svc.store));
      expect(all).not.toContain(sam.aadObjectId);
      expect(await h.svc.store.users.get(key(TENANT), key(sam.aadObjectId))).toBeUndefined();
      const pairs = (await h.svc.store.pairs.list(pk)).map((r) => r.value);
      expect(pairs).toHaveLength(2);
      expect(pairs.filter((p) => p.menteeId.startsWith('erased-') && p.status === 'ended')).toHaveLength(1);
    });

    it('"leave" cut half-way is finished by leaving again: pair ended, person left', async () => {
      const c = await runningProgramme(h, admin, { name: 'Cut Leave' });
      const pk = programmePartition(TENANT, c.programmeId);
      const mia: TestUser = c.mentors[0];
      proxy.failAfterWrites(1);
      const cut = await h.say(mia, 'leave Cut Leave');
      proxy.heal();
      expect(cut.map(textOf).join()).toMatch(unavailable);
      const again = await h.say(mia, 'leave Cut Leave');
      expect(again.map(textOf).join()).toMatch(/You have left Cut Leave/);
      expect((await h.svc.store.participants.get(pk, key(mia.aadObjectId)))!.value.status).toBe('left');
      const mine = (await h.svc.store.pairs.list(pk, `mentorId eq '${mia.aadObjectId}'`)).map((r) => r.value.status);
      expect(mine).toEqual(['ended']);
    });
  });

  describe('the Teams connector failing', () => {
    const u = user('Connie Connector');

    it('answers 503 twice, then takes the reply: retried, nothing lost', async () => {
      await h.say(u, 'help');
      h.connector.failNext(2, 503);
      const faults = h.connector.counters.faults;
      const replies = await h.say(u, 'help');
      expect(h.connector.counters.faults - faults).toBe(2);
      expect(replies.map(textOf).join()).toContain('What I can do');
    });

    it('throttles with 429 and Retry-After (as Teams does): the reply waits and goes out, nothing lost', async () => {
      const limits = h.connector.limits;
      // One message a second per conversation: the second reply is throttled.
      h.connector.limits = { perConversation: [[1, 1000]], perApp: [] };
      try {
        const throttled = h.connector.counters.throttled;
        const first = await h.say(u, 'help');
        const second = await h.say(u, 'help');
        expect(h.connector.counters.throttled - throttled).toBeGreaterThanOrEqual(1);
        expect([...first, ...second].map(textOf).filter((t) => t.includes('What I can do'))).toHaveLength(2);
      } finally {
        h.connector.limits = limits;
      }
    });

    it('a proactive message (an introduction, a partner note) survives a 500 and a 429', async () => {
      const limits = h.connector.limits;
      h.connector.limits = { perConversation: [[1, 1000]], perApp: [] };
      try {
        h.connector.failNext(1, 500);
        const before = { throttled: h.connector.counters.throttled, faults: h.connector.counters.faults };
        await h.svc.notifier.sendToUser(TENANT, u.aadObjectId, 'Your pair is ready');
        await h.svc.notifier.sendToUser(TENANT, u.aadObjectId, 'Your first session');
        expect(h.connector.counters.faults - before.faults).toBe(1);
        expect(h.connector.counters.throttled - before.throttled).toBeGreaterThanOrEqual(1);
        for (const text of ['Your pair is ready', 'Your first session']) {
          expect(h.connector.sentTo(u.aadObjectId).filter((a) => a.activity.text === text)).toHaveLength(1);
        }
      } finally {
        h.connector.limits = limits;
      }
    });
  });
});
