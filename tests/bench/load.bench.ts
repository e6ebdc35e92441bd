// Load benchmark: 200 simulated people at once, each talking to the bot (commands, card
// submissions, check-in answers when the check-in feature is there) and browsing the tab API,
// against Azurite. Prints requests per second, median and p99 latency, and errors (must be 0).
//
//   npm run bench -- load                 (LOAD_BENCH_SECONDS=60 for a longer run)
//
// Each simulated person acts every 1-5 s (3 s on average: 20 actions a minute, far busier than
// a real person in Teams), so 200 people offer about 65 requests a second. LOAD_BENCH_THINK changes it.
// The server runs in a child process (the load generator must not share its event loop); the
// Bot Connector stand-in (here) records every reply, with Teams' rate limits off: the bench
// measures this server and its storage, not Teams' throttling.
import * as http from 'http';
import * as os from 'os';
import { AsyncLocalStorage } from 'async_hooks';
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import { startAzurite } from '../../bot/dev/azurite';
import type { Level, Pair, Participant, Programme, Role } from '../../bot/domain/types';
import { pairId, Store } from '../../bot/storage/store';
import { ConnectorStandIn, textOf } from '../connector/connector';
import { cpuMs, pidListeningOn } from './proc';
import { announce, ChildServer, serveIfChild, startChildServer } from '../helpers/childServer';

export const title = 'Load: 200 people on the bot endpoint and the tab API at once (Azurite)';

const TENANT = '7a1f0000-0000-4000-8000-00000000aaaa';
const PROGRAMME = 'load-2027';
const USERS = 200;
const SECONDS = Number(process.env.LOAD_BENCH_SECONDS ?? 30);
/** Pause between one person's actions (ms): reading the answer, clicking on. LOAD_BENCH_THINK="500-2500" for a harsher run. */
const THINK_MS = (process.env.LOAD_BENCH_THINK ?? '1000-5000').split('-').map(Number) as [number, number];
const TARGET_P99_MS = 200;
const BOT = { id: '28:reverse-mentor-bot', name: 'Reverse Mentor' };

const uuid = (n: number) => `00000000-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));

interface Person {
  id: string;
  teamsId: string;
  name: string;
  role: Role;
  partner: string;
}

// ---------------------------------------------------------------------------------------------
// World

function people(): { admin: Person; all: Person[] } {
  const all: Person[] = [];
  for (let i = 0; i < USERS / 2; i++) {
    const mentor = uuid(1000 + i);
    const mentee = uuid(2000 + i);
    all.push({ id: mentor, teamsId: `29:mentor-${i}`, name: `Mentor ${i}`, role: 'mentor', partner: mentee });
    all.push({ id: mentee, teamsId: `29:mentee-${i}`, name: `Mentee ${i}`, role: 'mentee', partner: mentor });
  }
  return { admin: all[0], all };
}

async function seed(store: Store, world: ReturnType<typeof people>): Promise<void> {
  const programme: Programme = {
    tenantId: TENANT, id: PROGRAMME, name: 'Digital Workplace 2027', objectives: 'Leaders learn the digital workplace; juniors learn how the business runs.',
    startDate: '2027-01-11', endDate: '2027-06-25', levels: [1, 2, 3] as Level[], cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 1, status: 'running',
    timeZone: 'Europe/Berlin', checkinWeekday: 'mon', checkinHour: 9, reminderAfterDays: 3, createdBy: world.admin.id, createdAt: '2027-01-01T09:00:00.000Z',
  };
  await store.programmes.upsert(programme);
  const departments = ['IT', 'Sales', 'Finance', 'Marketing', 'HR', 'Legal'];
  const rows: Participant[] = world.all.map((p, i) => ({
    tenantId: TENANT, programmeId: PROGRAMME, userId: p.id, role: p.role, status: 'active', name: p.name,
    department: departments[(i + (p.role === 'mentee' ? 1 : 0)) % departments.length], seniority: p.role === 'mentor' ? 'apprentice' : 'director',
    languages: ['en', 'de'], timeZone: 'Europe/Berlin', sessionsPerMonth: 2, preferredDays: ['tue', 'thu'],
    skills: p.role === 'mentor' ? [3, 3, 2, 1, 0] : [1, 0, 0, 0, 0], wantLevels: p.role === 'mentee' ? [1, 2] : [],
    joinedAt: '2027-01-02T09:00:00.000Z', consentAt: '2027-01-02T09:00:00.000Z', excluded: [],
  }));
  for (let i = 0; i < rows.length; i += 100) await store.participants.transaction(rows.slice(i, i + 100).map((r) => ['upsert', r]));
  const pairs: Pair[] = world.all
    .filter((p) => p.role === 'mentor')
    .map((m) => ({
      tenantId: TENANT, programmeId: PROGRAMME, id: pairId(m.id, m.partner), mentorId: m.id, menteeId: m.partner, status: 'active', score: 80,
      reasons: [{ code: 'teaches-level', level: 1, points: 20 }], proposalId: 'seed', createdAt: '2027-01-05T09:00:00.000Z', introducedAt: '2027-01-05T09:00:00.000Z',
    }));
  for (let i = 0; i < pairs.length; i += 100) await store.pairs.transaction(pairs.slice(i, i + 100).map((r) => ['upsert', r]));
}

// ---------------------------------------------------------------------------------------------
// The server, in a child process running this same file

/**
 * The server, counting the Table Storage requests each action causes: the load generator names
 * the action in a header, and the count follows the request through its async work.
 */
async function serve(): Promise<void> {
  const { loadConfig } = await import('../../bot/config');
  const { createServices, startServer } = await import('../../bot/startup');
  const svc = createServices(loadConfig(process.env));
  const current = new AsyncLocalStorage<string>();
  const counts: Record<string, { requests: number; storage: number }> = {};
  const storageMs: number[] = [];
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  for (const repo of Object.values(svc.store)) {
    const client = (repo as { client?: { pipeline?: { addPolicy(p: object): void } } })?.client;
    client?.pipeline?.addPolicy({
      name: 'benchCount',
      sendRequest: async (req: unknown, next: (r: unknown) => Promise<unknown>) => {
        const action = current.getStore();
        if (!action || !counts[action]) return next(req);
        counts[action].storage++;
        const t0 = performance.now();
        try {
          return await next(req);
        } finally {
          storageMs.push(performance.now() - t0);
        }
      },
    });
  }
  // The action travels with the request: its handler, and its body's events (the bot's handler runs after them).
  type Emit = (this: unknown, event: string | symbol, ...args: unknown[]) => boolean;
  const serverEmit = http.Server.prototype.emit as Emit;
  const messageEmit = http.IncomingMessage.prototype.emit as Emit;
  const tagged = new WeakMap<object, string>();
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    const req = args[0] as http.IncomingMessage;
    const action = event === 'request' ? req.headers['x-bench-action'] : undefined;
    if (typeof action !== 'string') return serverEmit.call(this, event, ...args);
    (counts[action] ??= { requests: 0, storage: 0 }).requests++;
    tagged.set(req, action);
    return current.run(action, () => serverEmit.call(this, event, ...args));
  } as typeof http.Server.prototype.emit;
  http.IncomingMessage.prototype.emit = function (this: http.IncomingMessage, event: string | symbol, ...args: unknown[]) {
    const action = tagged.get(this);
    return action ? current.run(action, () => messageEmit.call(this, event, ...args)) : messageEmit.call(this, event, ...args);
  } as typeof http.IncomingMessage.prototype.emit;
  const running = await startServer(svc, '127.0.0.1');
  announce(running.url);
  process.once('SIGTERM', () =>
    void running.stop().then(() => {
      const sorted = storageMs.sort((a, b) => a - b);
      const stats = { storageMedian: quantile(sorted, 0.5), storageP99: quantile(sorted, 0.99), loopP99: loopDelay.percentile(99) / 1e6, loopMax: loopDelay.max / 1e6 };
      process.stdout.write(`BENCH-COUNTS ${JSON.stringify({ counts, stats })}\n`, () => process.exit(0));
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Load

interface Sample {
  kind: 'bot' | 'tab';
  action: string;
  ms: number;
  ok: boolean;
  status: number;
}

/** Keep-alive connections the server had just closed when we reused them (retried once, as browsers do). */
let staleRetries = 0;

function request(agent: http.Agent, base: string, method: string, urlPath: string, headers: Record<string, string>, body?: string, retry = true): Promise<{ status: number; ms: number }> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.request(`${base}${urlPath}`, { method, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      // The server closes idle keep-alive connections after 5 s; a request sent on one just then
      // never reached it. Node's documented remedy: retry once on a fresh connection.
      if (retry && req.reusedSocket && err.code === 'ECONNRESET') {
        staleRetries++;
        void request(agent, base, method, urlPath, headers, body, false).then((r) => resolve({ status: r.status, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      } else resolve({ status: 0, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
    req.end(body);
  });
}

function activity(connectorUrl: string, p: Person, what: { text?: string; value?: Record<string, unknown> }) {
  return JSON.stringify({
    type: 'message', channelId: 'msteams', serviceUrl: connectorUrl, id: `in-${Math.random().toString(36).slice(2)}`, timestamp: new Date().toISOString(),
    from: { id: p.teamsId, name: p.name, aadObjectId: p.id }, recipient: BOT,
    conversation: { id: `a:1to1-${p.teamsId}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
    locale: 'en-US', ...what,
  });
}

type Action = { kind: 'bot' | 'tab'; name: string; weight: number; run(p: Person): { method: string; path: string; body?: string } };

function actions(connectorUrl: string, checkinVerb: string | undefined): Action[] {
  const bot = (name: string, weight: number, what: (p: Person) => { text?: string; value?: Record<string, unknown> }): Action => ({
    kind: 'bot', name, weight, run: (p) => ({ method: 'POST', path: '/api/messages', body: activity(connectorUrl, p, what(p)) }),
  });
  const tab = (name: string, weight: number, f: (p: Person) => { method: string; path: string; body?: string }): Action => ({ kind: 'tab', name, weight, run: f });
  const tutorials = ['l1-profile', 'l1-network', 'l1-find-people'];
  const list: Action[] = [
    bot('help', 5, () => ({ text: 'help' })),
    bot('my pair', 10, () => ({ text: 'my pair' })),
    bot('profile', 8, () => ({ text: 'profile' })),
    bot('ladder', 8, () => ({ text: 'ladder' })),
    bot('profile edit (card submit)', 4, (p) => ({
      value: {
        verb: 'profile.save', formFor: p.id, programmeId: PROGRAMME, role: p.role, department: p.role === 'mentor' ? 'IT' : 'Sales', seniority: p.role === 'mentor' ? 'apprentice' : 'director',
        languages: 'en,de', timeZone: 'Europe/Berlin', sessionsPerMonth: '2', preferredDays: 'tue,thu', skill1: p.role === 'mentor' ? '3' : '1', skill2: p.role === 'mentor' ? '3' : '0',
        skill3: p.role === 'mentor' ? '2' : '0', skill4: '0', skill5: '0', wantLevels: p.role === 'mentee' ? '1,2' : '', consent: 'true',
      },
    })),
    tab('GET /api/me', 10, () => ({ method: 'GET', path: '/api/me' })),
    tab('GET /api/programmes', 5, () => ({ method: 'GET', path: '/api/programmes' })),
    tab('GET /api/programmes/:id', 8, () => ({ method: 'GET', path: `/api/programmes/${PROGRAMME}` })),
    tab('GET ladder (mine or my mentee\'s)', 15, (p) =>
      p.role === 'mentee' ? { method: 'GET', path: `/api/me/ladder?programme=${PROGRAMME}` } : { method: 'GET', path: `/api/mentees/${p.partner}/ladder?programme=${PROGRAMME}` },
    ),
    tab('POST /api/progress', 7, (p) => ({
      method: 'POST', path: '/api/progress',
      body: JSON.stringify({ programme: PROGRAMME, tutorialId: tutorials[Math.floor(Math.random() * tutorials.length)], status: Math.random() < 0.5 ? 'in-progress' : 'done', ...(p.role === 'mentor' ? { menteeId: p.partner } : {}) }),
    })),
  ];
  if (checkinVerb) {
    list.push(bot('checkin (ask for the card)', 5, () => ({ text: 'checkin' })));
    // Answering this week's check-in card (a second answer is told it was already recorded).
    list.push(
      bot('check-in answer (card submit)', 12, (p) => ({
        value: {
          verb: 'checkin.submit', programmeId: PROGRAMME, round: '1', pairId: p.role === 'mentor' ? pairId(p.id, p.partner) : pairId(p.partner, p.id), forUser: p.id,
          met: 'yes', tutorials: 'l1-profile,l1-network', learned: 'How the quarterly planning works', rating: '4', blockers: '', nextSession: '2027-02-02',
        },
      })),
    );
  }
  return list;
}

function pick(list: Action[]): Action {
  const total = list.reduce((n, a) => n + a.weight, 0);
  let r = Math.random() * total;
  for (const a of list) if ((r -= a.weight) < 0) return a;
  return list[list.length - 1];
}

export async function run(): Promise<string[]> {
  const azurite = await startAzurite();
  const connector = new ConnectorStandIn();
  connector.limits = { perConversation: [], perApp: [] };
  await connector.start();
  const prefix = `load${Date.now().toString(36)}`;
  const store = new Store({ connectionString: azurite.connectionString, tablePrefix: prefix });
  await store.ensureTables();
  const world = people();
  await seed(store, world);
  for (const p of world.all) connector.addMember({ id: p.teamsId, name: p.name, aadObjectId: p.id, userPrincipalName: `${p.teamsId.slice(3)}@contoso.example` });
  for (const p of world.all) connector.bindConversation(`a:1to1-${p.teamsId}`, p.id);
  let child: ChildServer | undefined;
  try {
    // LOAD_BENCH_CPU_PROF=<dir> writes a CPU profile of the server.
    child = await startChildServer(
      { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: prefix, PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0', BOT_ADMINS: world.admin.id },
      { script: __filename, cpuProfDir: process.env.LOAD_BENCH_CPU_PROF },
    );
    const base = child.url;
    const agent = new http.Agent({ keepAlive: true, maxSockets: USERS });
    const headers = (p: Person) => ({ 'x-local-user': p.id, 'x-local-tenant': TENANT });
    // Is the check-in feature there? Then answering check-ins joins the mix.
    const probe = await request(agent, base, 'POST', '/api/messages', {}, activity(connector.url, world.all[1], { text: 'checkin' }));
    const hasCheckins = probe.status === 200 && !connector.activities.slice(-1).some((a) => /not available yet/.test(textOf(a)));
    const mix = actions(connector.url, hasCheckins ? 'checkin' : undefined);

    // Warm-up: everyone says hello once (first contact stores the chat address), 20 at a time.
    for (let i = 0; i < world.all.length; i += 20) {
      await Promise.all(world.all.slice(i, i + 20).map((p) => request(agent, base, 'POST', '/api/messages', {}, activity(connector.url, p, { text: 'help' }))));
    }
    // This week's check-in round, opened by the admin: 200 cards go out through the queue.
    if (hasCheckins) {
      await request(agent, base, 'POST', '/api/messages', {}, activity(connector.url, world.admin, { text: `checkins send ${PROGRAMME}` }));
      const deadline = Date.now() + 60_000;
      while (connector.activities.filter((a) => a.activity.attachments?.[0]?.content && /checkin\.submit/.test(JSON.stringify(a.activity.attachments[0].content))).length < USERS) {
        if (Date.now() > deadline) throw new Error('the check-in round did not reach everyone within a minute');
        await sleep(250);
      }
    }
    connector.reset();

    const samples: Sample[] = [];
    const loadBefore = os.loadavg()[0];
    const azuritePid = pidListeningOn(azurite.tablePort);
    const cpuBefore = [cpuMs(child.proc.pid), cpuMs(azuritePid), cpuMs(process.pid)];
    staleRetries = 0;
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    await Promise.all(
      world.all.map(async (p, i) => {
        await sleep((i / world.all.length) * THINK_MS[1]); // spread the start
        while (Date.now() < deadline) {
          const a = pick(mix);
          const r = a.run(p);
          const res = await request(agent, base, r.method, r.path, { ...(a.kind === 'tab' ? headers(p) : {}), 'x-bench-action': a.name }, r.body);
          samples.push({ kind: a.kind, action: a.name, ms: res.ms, ok: res.status >= 200 && res.status < 300, status: res.status });
          await sleep(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    agent.destroy();
    const cpuAfter = [cpuMs(child.proc.pid), cpuMs(azuritePid), cpuMs(process.pid)];
    const busy = (i: number) => (cpuAfter[i] !== undefined && cpuBefore[i] !== undefined ? `${Math.round(((cpuAfter[i]! - cpuBefore[i]!) / (seconds * 1000)) * 100)}%` : 'n/a');
    await child.stop();
    const counted = /BENCH-COUNTS (\{.*\})/.exec(child.output());
    const reported: { counts: Record<string, { requests: number; storage: number }>; stats?: Record<string, number> } = counted ? JSON.parse(counted[1]) : { counts: {} };
    const storage = reported.counts;
    const st = reported.stats;
    const perAction = (names: string[]) => {
      const c = names.map((n) => storage[n]).filter(Boolean);
      const req = c.reduce((n, x) => n + x.requests, 0);
      return req ? (c.reduce((n, x) => n + x.storage, 0) / req).toFixed(1) : 'n/a';
    };

    // An answer that apologises is an error too, even with HTTP 200.
    const badReplies = connector.activities.filter((a) => /went wrong|temporarily unavailable|changed this at the same moment/.test(textOf(a))).length;
    const line = (label: string, xs: Sample[]) => {
      const sorted = xs.map((s) => s.ms).sort((a, b) => a - b);
      const errors = xs.filter((s) => !s.ok).length;
      const tables = perAction([...new Set(xs.map((s) => s.action))]);
      return `  ${label.padEnd(34)} ${String(xs.length).padStart(6)} req  ${(xs.length / seconds).toFixed(1).padStart(6)} rps  median ${ms(quantile(sorted, 0.5)).padStart(7)}  p99 ${ms(quantile(sorted, 0.99)).padStart(7)}  errors ${errors}  Table requests each ${tables.padStart(4)}`;
    };
    const all = samples.map((s) => s.ms).sort((a, b) => a - b);
    const errors = samples.filter((s) => !s.ok).length + badReplies;
    const p99 = quantile(all, 0.99);
    const out = [
      `${USERS} people (${USERS / 2} pairs), ${SECONDS} s, think time ${THINK_MS[0] / 1000}-${THINK_MS[1] / 1000} s; server in its own process; Azurite; ` +
        `${os.cpus().length} cores shared by all of it (load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after)`,
      line('all requests', samples),
      line('bot endpoint (POST /api/messages)', samples.filter((s) => s.kind === 'bot')),
      line('tab API', samples.filter((s) => s.kind === 'tab')),
      ...[...new Set(samples.map((s) => s.action))].map((name) => line(`  ${name}`, samples.filter((s) => s.action === name))),
      ...(st ? [`  inside the server: one Table request median ${ms(st.storageMedian)}, p99 ${ms(st.storageP99)}; event loop delay p99 ${ms(st.loopP99)}, max ${ms(st.loopMax)}`] : []),
      `  CPU busy (share of one core): server ${busy(0)}, Azurite (tables) ${busy(1)}, load generator and Teams stand-in ${busy(2)}`,
      `  bot replies delivered to the connector: ${connector.activities.length}; apologetic replies: ${badReplies}; stale keep-alive connections retried: ${staleRetries}${hasCheckins ? '' : '; check-in answers not in the mix (the check-in feature is not in this build)'}`,
      ...(errors ? [`  failed requests: ${samples.filter((s) => !s.ok).map((s) => `${s.action} -> HTTP ${s.status || 'no answer'}`).join('; ')}`] : []),
      `  errors: ${errors} (must be 0) · p99 ${ms(p99)} against a target of ${TARGET_P99_MS} ms: ${p99 < TARGET_P99_MS ? 'within target' : 'OVER TARGET'}`,
    ];
    if (errors > 0) throw new Error(`${errors} errors under load\n${out.join('\n')}`);
    return out;
  } finally {
    await child?.stop();
    await connector.stop();
    await azurite.stop();
  }
}

serveIfChild(module, serve);
