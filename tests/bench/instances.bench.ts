// Several instances, one tenant budget: server processes on one Azurite and one queue deliver a
// check-in round to the Bot Connector stand-in, which allows 50 sends a second per app (Teams'
// limit) and answers 429 past it. Each instance is the real server (tests/helpers/instanceServer.ts)
// in its own process; the stand-in and the counting run here.
//
//   npm run bench -- instances        three runs of 1,000 pairs (2,000 cards) in two programmes (about 4 minutes)
//   BENCH_PAIRS=2000                  more pairs per run
//
// Figures per run: the delivered rate as a share of 50/s, the busiest one-second window of sends
// at the stand-in (429'd attempts included), 429s, each instance's share, duplicates, lost; after
// a SIGKILL, how long until the others took over the messages the dead one held; after an
// instance joins or leaves, the slowest second that followed and when the rate was back.
import * as fs from 'fs';
import * as os from 'os';
import { monitorEventLoopDelay } from 'perf_hooks';
import * as v8 from 'v8';
import * as vm from 'vm';
import { startAzurite } from '../../bot/dev/azurite';
import { loadConfig } from '../../bot/config';
import { createServices } from '../../bot/startup';
import { JobQueue } from '../../bot/storage/queue';
import { roundPartition } from '../../bot/storage/store';
import { ConnectorStandIn, TEAMS_LIMITS } from '../connector/connector';
import { heldBy, Instance, startInstance, takenOver } from '../helpers/instanceServer';
import { busiestSecond, drain, progress, seed, sleep, Tally, TENANT } from '../helpers/round';

export const title = 'Instances: three server processes on one Azurite and one queue share the 50/s per-app limit';

const LIMIT = 50;
const PAIRS = Number(process.env.BENCH_PAIRS ?? 1000);

const ADMIN = '00000000-0000-4000-b000-00000000ad00';

/** An admin types `checkins send <programme>` in their 1:1 chat with the bot on that instance. */
async function openThrough(instanceUrl: string, serviceUrl: string, programme: string, n: number): Promise<number> {
  const res = await fetch(`${instanceUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message', channelId: 'msteams', serviceUrl, id: `open-${n}`, from: { id: '29:admin', name: 'Ada Admin', aadObjectId: ADMIN },
      recipient: { id: '28:bench', name: 'Reverse Mentor' }, conversation: { id: 'a:admin', conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } }, text: `checkins send ${programme}`, locale: 'en-US',
    }),
  });
  return res.status;
}

/** The processes this one started (Azurite, the instances) run at the normal priority, not this one's. */
function ordinaryChildren(): void {
  for (const d of fs.readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && os.getPriority(Number(d)) !== 0) os.setPriority(Number(d), 0);
    } catch {
      // Gone meanwhile, or not Linux.
    }
  }
}

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

type Step = { at: number; how: 'kill' | 'stop' | 'join' };

interface Figures {
  lines: string[];
  ok: boolean;
}

/** Accepted sends per one-second window, stepping by 100 ms, from `from` for `forMs`. */
function windows(stamps: number[], from: number, forMs: number): Array<{ at: number; count: number }> {
  const out: Array<{ at: number; count: number }> = [];
  for (let t = from; t + 1000 <= from + forMs; t += 100) out.push({ at: t, count: stamps.filter((s) => s >= t && s < t + 1000).length });
  return out;
}

async function run1(label: string, startWith: number, steps: Step[], programmeCount = 2): Promise<Figures> {
  const azurite = await startAzurite();
  ordinaryChildren();
  const connector = new ConnectorStandIn();
  connector.limits = { perConversation: TEAMS_LIMITS.perConversation, perApp: [[LIMIT, 1000]] };
  const attempts: number[] = [];
  connector.onAttempt = (at) => attempts.push(at);
  await connector.start();
  const env = {
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'inst', CHECKIN_QUEUE: 'inst-checkins', PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0', BOT_ADMINS: ADMIN,
  };
  const svc = createServices(loadConfig(env));
  const instances: Instance[] = [];
  const joining: Instance[] = [];
  const tally: Tally = { perUser: new Map(), stamps: [] };
  const lines: string[] = [];
  const cards = PAIRS * 2;
  try {
    await svc.store.ensureTables();
    await svc.queue.ensure();
    progress(`${label}: seeding ${PAIRS} pairs`);
    const programmes = await seed(svc, connector, PAIRS, programmeCount);
    progress(`${label}: starting ${startWith} instances`);
    instances.push(...(await Promise.all(Array.from({ length: startWith }, (_, i) => startInstance(`#${i + 1}`, env)))));
    // A joining instance is loaded beforehand and started on a signal (see helpers/instanceServer.ts).
    joining.push(...(await Promise.all(steps.filter((x) => x.how === 'join').map((_, k) => startInstance(`#${startWith + k + 1}`, env, true)))));
    ordinaryChildren();
    // The seeding's garbage collected now, not in a pause while the stand-in counts arrivals.
    collectGarbage();
    const lag = monitorEventLoopDelay({ resolution: 5 });
    lag.enable();
    const probe = new JobQueue(svc.config);
    // The programmes open their rounds together, as two programmes on the same weekday and hour
    // do: an admin's `checkins send` through the first instance, whose dispatcher starts at once
    // (the others find the jobs at their next look at the queue, within a second).
    const opened = await Promise.all(programmes.map((p, k) => openThrough(instances[0].child.url, connector.url, p.name, k)));
    if (opened.some((status) => status !== 200)) throw new Error(`rounds not opened: ${opened.join(', ')}`);

    const notes: string[] = [];
    const events: Array<{ at: number; how: Step['how'] }> = [];
    let onWire = 0;
    let takeover: number | undefined;
    let heldByDead = 0;
    for (const step of steps) {
      while (tally.stamps.length < step.at * cards) {
        await sleep(50);
        drain(connector, tally);
      }
      const at = Date.now();
      events.push({ at, how: step.how });
      const done = tally.stamps.length;
      if (step.how === 'join') {
        const joined = joining.shift()!;
        instances.push(joined);
        joined.child.proc.kill('SIGUSR2');
        while (!joined.startedAt) await sleep(20);
        notes.push(`${joined.name} joined at ${done} of ${cards} cards (started ${joined.startedAt - at} ms after the signal)`);
        continue;
      }
      const victim = instances.find((i) => i.alive)!;
      victim.alive = false;
      if (step.how === 'kill') {
        await victim.child.kill();
        onWire += victim.sending.size;
        const held = heldBy(victim, instances);
        heldByDead += held.length;
        // Taken over: each message the dead instance held, received again by another one.
        void (async () => {
          while (instances.length) {
            const again = takenOver(held, victim, instances, at);
            if (again.every(Number.isFinite)) return void (takeover = Math.max(0, ...again) - at);
            await sleep(100);
          }
        })();
        notes.push(`${victim.name} killed (SIGKILL) at ${done} of ${cards} cards, holding ${held.length} queue message${held.length === 1 ? '' : 's'}, ${victim.sending.size} send${victim.sending.size === 1 ? '' : 's'} on the wire`);
      } else {
        await victim.child.stop();
        notes.push(`${victim.name} left (SIGTERM, graceful) at ${done} of ${cards} cards`);
      }
    }
    const deadline = Date.now() + Math.max(120_000, (cards / LIMIT) * 3000);
    for (let tick = 0; ; tick++) {
      await sleep(250);
      drain(connector, tally);
      if (tick % 40 === 0) progress(`${label}: ${tally.stamps.length} of ${cards} cards`);
      if (tally.perUser.size >= cards && (await probe.approximateCount()) === 0 && (takeover !== undefined || !heldByDead)) break;
      if (Date.now() > deadline) break;
    }
    // Anything sent twice late would show up here.
    await sleep(1000);
    drain(connector, tally);

    const stamps = tally.stamps;
    const first = stamps[0];
    const last = stamps[stamps.length - 1];
    const rate = ((stamps.length - 1) * 1000) / (last - first);
    const full = windows(stamps, first, last - first);
    const counts = full.map((w) => w.count).sort((a, b) => a - b);
    const duplicates = [...tally.perUser.values()].reduce((n, c) => n + c - 1, 0);
    const lost = cards - tally.perUser.size;
    let notSent = 0;
    for (const p of programmes) notSent += (await svc.store.checkins.list(roundPartition(TENANT, p.id, 1), "dispatch ne 'sent'")).length;
    const peakAttempts = busiestSecond(attempts.filter((a) => a >= first - 1000));
    const sentTotal = instances.reduce((n, i) => n + i.sent, 0);

    lines.push(`### ${label}: ${PAIRS.toLocaleString('en')} pairs in ${programmeCount} programmes opening their rounds together, ${cards.toLocaleString('en')} cards`);
    for (const n of notes) lines.push(`- ${n}`);
    lines.push(`- delivered: ${rate.toFixed(1)} cards/s = ${((rate / LIMIT) * 100).toFixed(1)}% of the ${LIMIT}/s limit from the first card to the last (${((last - first) / 1000).toFixed(1)} s)`);
    lines.push(`- per second at the stand-in (sliding one-second windows): busiest ${peakAttempts} sends including 429'd ones, ${busiestSecond(stamps)} accepted; ` +
      `accepted per second min ${counts[0]}, median ${counts[Math.floor(counts.length / 2)]}, max ${counts[counts.length - 1]}; 429s: ${connector.counters.throttled}`);
    if (process.env.BENCH_TRACE) {
      const perSecond: number[] = [];
      for (const t of stamps) perSecond[Math.floor((t - first) / 1000)] = (perSecond[Math.floor((t - first) / 1000)] ?? 0) + 1;
      lines.push(`- accepted in each second: ${Array.from(perSecond, (n) => n ?? 0).join(' ')}`);
    }
    lag.disable();
    lines.push(`- the stand-in's event loop: delays p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms (arrivals are counted when it takes them)`);
    lines.push(`- per instance: ${instances.map((i) => `${i.name} ${((i.sent / Math.max(1, sentTotal)) * 100).toFixed(0)}% (${i.sent})`).join(', ')}`);
    for (const e of events.filter((x) => x.how !== 'kill')) {
      const after = windows(stamps, e.at, Math.min(10_000, last - e.at));
      if (!after.length) continue;
      const slowest = Math.min(...after.map((w) => w.count));
      const dip = after.findIndex((w) => w.count < 45);
      const back = dip < 0 ? undefined : after.slice(dip).find((w) => w.count >= 45);
      lines.push(`- after the ${e.how === 'join' ? 'join' : 'leave'}: slowest second ${slowest} cards; ` +
        (dip < 0 ? 'never under 45/s' : back ? `back at 45/s or more ${((back.at + 1000 - e.at) / 1000).toFixed(1)} s after it` : 'not back at 45/s within 10 s'));
    }
    if (heldByDead) lines.push(`- takeover: the others received the killed instance's ${heldByDead} message${heldByDead === 1 ? '' : 's'} ${takeover === undefined ? 'NOT within the run' : `${(takeover / 1000).toFixed(1)} s after the kill`} (DISPATCH_LEASE_SECONDS ${svc.config.dispatchLeaseSeconds})`);
    lines.push(`- duplicates: ${duplicates}${steps.some((s) => s.how === 'kill') ? ` (cards on the wire at the kill: ${onWire})` : ''}; lost: ${lost}; records not marked sent: ${notSent}`);
    const ok = lost === 0 && duplicates <= onWire && notSent === 0;
    if (!ok) lines.push('- NOT CORRECT: cards lost, sent twice beyond the ones on the wire, or records left unsent');
    return { lines, ok };
  } finally {
    await Promise.all([...instances.filter((i) => i.alive), ...joining].map((i) => i.child.stop()));
    await connector.stop();
    await azurite.stop();
  }
}

export async function run(): Promise<string[]> {
  // Teams counts arrivals on its own machines; here the stand-in shares two cores with three
  // servers and Azurite, and a moment without the CPU would bunch arrivals that were sent on
  // time into one second. So this process (the stand-in and the counting) gets the CPU first;
  // what it starts runs at the normal priority (ordinaryChildren()).
  try {
    os.setPriority(-10);
  } catch {
    console.log('- (could not raise the stand-in\'s priority: arrivals may bunch when the machine is busy)');
  }
  const print = (f: Figures) => f.lines.forEach((l) => console.log(l));
  print(await run1('Three instances', 3, []));
  print(await run1('Three instances, one killed mid-round', 3, [{ at: 0.4, how: 'kill' }]));
  print(await run1('Two instances, a third joins, one leaves', 2, [{ at: 0.25, how: 'join' }, { at: 0.6, how: 'stop' }]));
  return [];
}
