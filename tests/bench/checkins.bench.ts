// Check-in dispatch benchmark: a round for N pairs (2N cards) through the real scheduler code,
// Azure Queue Storage and Table Storage (Azurite), and the dispatcher, against the Bot Connector
// stand-in enforcing Teams' limits with the per-app limit at 50 messages a second.
//
//   npm run bench -- checkins              scaled-down (about 1.5 minutes)
//   BENCH_FULL=1 npm run bench -- checkins 10,000 pairs (20,000 cards) in 10 programmes, restarts included (about 10 minutes)
//   BENCH_RATE=45 BENCH_CONCURRENCY=16     the dispatcher's send budget (default 48/s) and workers (8)
//
// Figures: achieved send rate as a share of the limit, 429s, retries, duplicates, lost; the same
// after a graceful restart and a crash (abrupt kill: sends on the wire are aborted, nothing more is
// written) of the dispatcher mid-round; Table and Queue requests per card.
import { monitorEventLoopDelay } from 'perf_hooks';
import { startAzurite } from '../../bot/dev/azurite';
import { loadConfig } from '../../bot/config';
import { startRoundNow } from '../../bot/services/checkins';
import { startCheckinWorkers, Workers } from '../../bot/checkins/workers';
import { JobQueue } from '../../bot/storage/queue';
import { createServices } from '../../bot/startup';
import { roundPartition } from '../../bot/storage/store';
import { ConnectorStandIn, TEAMS_LIMITS } from '../connector/connector';
import { busiestSecond, drain, progress, seed, sleep, Tally, TENANT } from '../helpers/round';

export const title = 'Check-in dispatch: one round through Azure Queue + Table (Azurite) to the Teams stand-in at 50 msg/s per app';

const LIMIT = 50;
const RATE = Number(process.env.BENCH_RATE ?? 48);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/**
 * Counts storage requests as the service sees them (each is one billed operation): a pipeline
 * policy on every Table client, and a wrapper around the job queue's methods.
 */
function countStorage(svc: ReturnType<typeof createServices>): { table: number; queue: number } {
  const counts = { table: 0, queue: 0 };
  for (const repo of Object.values(svc.store)) {
    const client = (repo as { client?: { pipeline?: { addPolicy(p: object): void } } })?.client;
    client?.pipeline?.addPolicy({ name: 'benchCount', sendRequest: (req: unknown, next: (r: unknown) => unknown) => (counts.table++, next(req)) });
  }
  const q = svc.queue as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  for (const m of ['receive', 'delete', 'release', 'approximateCount']) {
    const original = q[m].bind(q);
    q[m] = (...a: unknown[]) => (counts.queue++, original(...a));
  }
  const enqueue = q.enqueue.bind(q);
  q.enqueue = (...a: unknown[]) => ((counts.queue += (a[0] as unknown[]).length), enqueue(...a));
  return counts;
}

interface RunResult {
  lines: string[];
  ok: boolean;
}

/**
 * One round for `pairs` pairs. `interruptions` restart the dispatcher when that share of the cards
 * is out: 'stop' is graceful (deploy, scale-in), 'kill' a crash.
 */
export async function round(label: string, pairs: number, interruptions: Array<{ at: number; how: 'stop' | 'kill' }>, programmeCount = 1): Promise<RunResult> {
  const azurite = await startAzurite();
  const connector = new ConnectorStandIn();
  connector.limits = { perConversation: TEAMS_LIMITS.perConversation, perApp: [[LIMIT, 1000]] };
  await connector.start();
  const leaseSeconds = 5;
  const env = {
    AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    TABLE_PREFIX: 'bench', CHECKIN_QUEUE: 'bench-checkins', PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0',
    SEND_RATE_PER_SECOND: String(RATE), DISPATCHER_CONCURRENCY: String(CONCURRENCY),
  };
  const svc = createServices(loadConfig(env));
  const tally: Tally = { perUser: new Map(), stamps: [] };
  const lines: string[] = [];
  try {
    await svc.store.ensureTables();
    await svc.queue.ensure();
    const seeded = Date.now();
    progress(`${label}: seeding ${pairs} pairs`);
    const programmes = await seed(svc, connector, pairs, programmeCount);
    progress(`${label}: seeded in ${((Date.now() - seeded) / 1000).toFixed(0)} s, opening the round`);
    const seedMs = Date.now() - seeded;
    const cards = pairs * 2;
    const counts = countStorage(svc);
    // The benchmark's own look at the queue goes through another client, so it is not counted.
    const probe = new JobQueue(svc.config);

    const opened = Date.now();
    for (const programme of programmes) {
      const res = await startRoundNow(svc, programme);
      if (res.kind !== 'opened') throw new Error(`round not opened: ${res.kind}`);
    }
    const openMs = Date.now() - opened;
    const openOps = { table: counts.table, queue: counts.queue };

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    let workers: Workers = startCheckinWorkers(svc, { leaseSeconds, maxIdleMs: 1000 });
    const stats = { throttled: 0, retries: 0, inDoubt: 0, skipped: 0 };
    const collect = (w: Workers) => {
      stats.throttled += w.stats.throttled;
      stats.retries += w.stats.retries;
      stats.inDoubt += w.stats.inDoubt;
      stats.skipped += w.stats.skipped;
    };
    const notes: string[] = [];
    const segments: Array<{ from: number; to: number }> = [];
    let segmentStart = tally.stamps.length;
    for (const stop of interruptions) {
      for (let tick = 0; tally.stamps.length < stop.at * cards; tick++) {
        await sleep(200);
        drain(connector, tally);
        if (tick % 150 === 0) progress(`${label}: ${tally.stamps.length} of ${cards} cards`);
      }
      segments.push({ from: segmentStart, to: tally.stamps.length });
      const before = tally.stamps.length;
      if (stop.how === 'kill') workers.kill();
      else await workers.stop();
      collect(workers);
      // A crashed instance's claims expire after the lease; a stopped one left none.
      if (stop.how === 'kill') await sleep(leaseSeconds * 1000 + 500);
      drain(connector, tally);
      notes.push(`${stop.how === 'kill' ? 'crash (kill)' : 'graceful stop'} at ${before} of ${cards} cards, restarted${stop.how === 'kill' ? ` after the ${leaseSeconds} s lease` : ''}`);
      workers = startCheckinWorkers(svc, { leaseSeconds, maxIdleMs: 1000 });
      segmentStart = tally.stamps.length;
    }
    // Done when every person has a card and the queue is empty (late duplicates would show up too).
    const deadline = Date.now() + Math.max(120_000, (cards / LIMIT) * 3000);
    for (let tick = 0; ; tick++) {
      await sleep(250);
      drain(connector, tally);
      if (tick % 120 === 0) progress(`${label}: ${tally.stamps.length} of ${cards} cards`);
      if (tally.perUser.size >= cards && (await probe.approximateCount()) === 0) break;
      if (Date.now() > deadline) break;
    }
    await workers.stop();
    collect(workers);
    drain(connector, tally);
    segments.push({ from: segmentStart, to: tally.stamps.length });

    const stamps = tally.stamps;
    const rateOf = (from: number, to: number) => (to - from > 1 ? ((to - from - 1) * 1000) / (stamps[to - 1] - stamps[from]) : 0);
    // The busiest one-second window the stand-in saw (must stay at or under the limit).
    const peak = busiestSecond(stamps);
    const duplicates = [...tally.perUser.values()].reduce((n, c) => n + c - 1, 0);
    const lost = cards - tally.perUser.size;
    let notSent = 0;
    for (const programme of programmes) notSent += (await svc.store.checkins.list(roundPartition(TENANT, programme.id, 1), "dispatch ne 'sent'")).length;
    const segRates = segments.map((s) => rateOf(s.from, s.to));
    const rate = interruptions.length ? segRates.reduce((a, b) => a + b, 0) / segRates.length : rateOf(0, stamps.length);
    const sendOps = { table: counts.table - openOps.table, queue: counts.queue - openOps.queue };

    const where = programmeCount > 1 ? ` in ${programmeCount} programmes opening their rounds together` : ' in one programme';
    lines.push(`### ${label}: ${pairs.toLocaleString('en')} pairs${where}, ${cards.toLocaleString('en')} cards`);
    lines.push(`- seeded ${(pairs * 5).toLocaleString('en')} rows (people, pairs, contacts) in ${(seedMs / 1000).toFixed(0)} s; round${programmeCount > 1 ? 's' : ''} opened in ${(openMs / 1000).toFixed(1)} s (${cards.toLocaleString('en')} dispatch records in batches of 100, ${cards.toLocaleString('en')} jobs queued)`);
    for (const n of notes) lines.push(`- ${n}`);
    lines.push(`- send rate: ${rate.toFixed(1)} cards/s = ${((rate / LIMIT) * 100).toFixed(1)}% of the ${LIMIT}/s limit (dispatcher budget ${RATE}/s, ${CONCURRENCY} workers)` +
      (interruptions.length ? `; per segment between restarts: ${segRates.map((r) => r.toFixed(1)).join(', ')}` : ''));
    loop.disable();
    lines.push(`- busiest second at the stand-in: ${peak} cards; 429s received: ${connector.counters.throttled}; retries: ${stats.retries}; event loop delay (dispatcher and stand-in share it) p99 ${(loop.percentile(99) / 1e6).toFixed(0)} ms, max ${(loop.max / 1e6).toFixed(0)} ms`);
    lines.push(`- duplicates: ${duplicates}; lost: ${lost}; records not marked sent: ${notSent}; sends in doubt after a crash (resent): ${stats.inDoubt}`);
    lines.push(`- storage requests per card: opening ${(openOps.table / cards).toFixed(2)} Table + ${(openOps.queue / cards).toFixed(2)} Queue; ` +
      `sending ${(sendOps.table / cards).toFixed(2)} Table + ${(sendOps.queue / cards).toFixed(2)} Queue; total ${(counts.table / cards).toFixed(2)} Table + ${(counts.queue / cards).toFixed(2)} Queue`);
    return { lines, ok: lost === 0 && duplicates === 0 };
  } finally {
    await connector.stop();
    await azurite.stop();
  }
}

export async function run(): Promise<string[]> {
  const full = !!process.env.BENCH_FULL && process.env.BENCH_FULL !== '0';
  // Each round's figures are printed as soon as they are known (a full run takes a while).
  const print = (r: RunResult) => r.lines.forEach((l) => console.log(l));
  const restarts: Array<{ at: number; how: 'stop' | 'kill' }> = [{ at: 0.3, how: 'stop' }, { at: 0.6, how: 'kill' }];
  if (full) {
    console.log('Full run (BENCH_FULL=1): 10,000 pairs in 10 programmes of 1,000 opening their rounds together, with a graceful restart at 30% and a crash at 60%.');
    console.log('(BENCH_FULL=one puts them in one programme: its 20,000-card round partition then measures Azurite, which scans a whole partition for every read; Table Storage reads by key.)');
    print(await round('Full round', 10_000, restarts, process.env.BENCH_FULL === 'one' ? 1 : 10));
  } else {
    console.log('Scaled-down run. For the 10,000-pair round (20,000 cards, over 7 minutes at 50/s) set BENCH_FULL=1.');
    print(await round('Round', 1_000, []));
    print(await round('Round with restarts', 600, restarts));
  }
  return [];
}
