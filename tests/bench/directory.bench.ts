// Directory benchmark (issue 15): refreshing a 2,000-person cohort from Entra ID (the Graph
// stand-in with a generated org chart, Azurite behind): Graph requests used and wall time; and
// matching with the reporting-line rule over an org chart of depth 6-8, 2,000 x 2,000 (target:
// whole pairing under 1 s) and 10,000 x 10,000 (time and memory).
//
//   npm run bench -- directory
import * as os from 'os';
import { loadConfig } from '../../bot/config';
import { startAzurite } from '../../bot/dev/azurite';
import { GraphStandIn, StandInUser } from '../../bot/dev/graphStandIn';
import { buildEdges, explain, MatchInput, solveEdges } from '../../bot/domain/matching';
import type { Participant, Programme } from '../../bot/domain/types';
import { refreshProgramme } from '../../bot/services/entra';
import { createServices } from '../../bot/startup';
import { cohort, rng } from './matching.bench';

const TENANT = '7a1f0000-0000-4000-8000-0000000be7c0';
const guid = (k: number): string => `0b000000-0000-4000-8000-${k.toString(16).padStart(12, '0')}`;

/**
 * An org chart of `n` people: one CEO, then levels that widen downwards, depth 6-8 (the CEO at
 * 0). Returns each person's manager index (-1 for the CEO) and depth.
 */
export function orgChart(n: number, seed = 7): { manager: Int32Array; depth: Int32Array } {
  const r = rng(seed);
  const manager = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  // Level sizes grow geometrically so that the deepest level is 6-8 below the top.
  const levels = 7 + Math.floor(r() * 2); // 7 or 8 levels below the CEO... depth 6-8 reached
  let start = 0;
  let size = 1;
  const bounds: Array<[number, number]> = [];
  const growth = Math.max(1.5, Math.pow(n, 1 / levels));
  while (start < n) {
    const end = Math.min(n, start + Math.max(1, Math.round(size)));
    bounds.push([start, end]);
    start = end;
    size *= growth;
  }
  for (let l = 1; l < bounds.length; l++) {
    const [from, to] = bounds[l];
    const [pFrom, pTo] = bounds[l - 1];
    for (let k = from; k < to; k++) {
      manager[k] = pFrom + Math.floor(r() * (pTo - pFrom));
      depth[k] = l;
    }
  }
  return { manager, depth };
}

function chainOf(k: number, manager: Int32Array, id: (k: number) => string): string[] {
  const out: string[] = [];
  for (let m = manager[k]; m >= 0; m = manager[m]) out.push(id(m));
  return out;
}

/**
 * matching.bench's cohort of n x n, placed in an org chart of 3n people: mentees in its upper
 * half, mentors below them, each with their chain of managers (so some pairs share a chain).
 */
export function cohortInOrg(n: number, seed: number): { input: MatchInput; depth: number; inChain: number } {
  const input = cohort(n, seed);
  const size = 3 * n;
  const { manager, depth } = orgChart(size, seed);
  const byDepth = [...Array(size).keys()].sort((a, b) => depth[a] - depth[b]);
  const upper = byDepth.slice(1, Math.floor(size / 2)); // not the CEO
  const lower = byDepth.slice(Math.floor(size / 2));
  const r = rng(seed + 1);
  const pick = (pool: number[]) => pool[Math.floor(r() * pool.length)];
  const ids = new Map<number, string>();
  const id = (k: number) => ids.get(k) ?? `org-${k}`;
  const place = (people: Participant[], pool: number[]) =>
    people.forEach((p) => {
      let k = pick(pool);
      while (ids.has(k)) k = pick(pool);
      ids.set(k, p.userId);
      return k;
    });
  place(input.mentees, upper);
  place(input.mentors, lower);
  const kOf = new Map([...ids].map(([k, v]) => [v, k]));
  for (const p of [...input.mentees, ...input.mentors]) p.directory = { managers: chainOf(kOf.get(p.userId)!, manager, id), readAt: '2026-12-01T00:00:00Z' };
  const menteeIds = new Set(input.mentees.map((p) => p.userId));
  const inChain = input.mentors.reduce((s, m) => s + m.directory!.managers.filter((x) => menteeIds.has(x)).length, 0);
  return { input, depth: Math.max(...depth), inChain };
}

const fmt = (s: number): string => `${s.toFixed(3)} s`;
const mb = (b: number): string => `${(b / 1048576).toFixed(0)} MB`;

function timed<T>(fn: () => T): { seconds: number; result: T } {
  const t = process.hrtime.bigint();
  const result = fn();
  return { seconds: Number(process.hrtime.bigint() - t) / 1e9, result };
}

async function benchMatchingWithChains(lines: string[]): Promise<void> {
  lines.push('Matching with the reporting-line rule (org chart of 3n people, mentees in its upper half, mentors below):');
  lines.push('  n x n           depth  mentor-over-mentee links   edges     solve     explain   pipeline  pairs   memory (rss / array buffers, peak)');
  for (const n of [2000, 10000]) {
    const { input, depth, inChain } = cohortInOrg(n, 2000 + n);
    if (n === 2000) explain(buildEdges(input), solveEdges(buildEdges(input))); // warm-up
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakBuffers = before.arrayBuffers;
    const sample = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
    }, 50);
    const runs = n === 2000 ? 3 : 1;
    let best = { edges: Infinity, solve: Infinity, explain: Infinity, pipeline: Infinity, pairs: 0 };
    for (let k = 0; k < runs; k++) {
      const t0 = process.hrtime.bigint();
      const e = timed(() => buildEdges(input));
      const s = timed(() => solveEdges(e.result));
      const x = timed(() => explain(e.result, s.result));
      const pipeline = Number(process.hrtime.bigint() - t0) / 1e9;
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakBuffers = Math.max(peakBuffers, m.arrayBuffers);
      if (pipeline < best.pipeline) best = { edges: e.seconds, solve: s.seconds, explain: x.seconds, pipeline, pairs: x.result.pairs.length };
      // No pair within a chain, whatever the score.
      const chains = new Map([...input.mentees, ...input.mentors].map((p) => [p.userId, new Set(p.directory!.managers)]));
      for (const p of x.result.pairs) {
        if (chains.get(p.menteeId)!.has(p.mentorId) || chains.get(p.mentorId)!.has(p.menteeId)) throw new Error('a pair within one reporting line');
      }
    }
    clearInterval(sample);
    lines.push(
      `  ${`${n} x ${n}`.padEnd(14)} ${String(depth).padStart(5)}  ${String(inChain).padStart(24)}   ${fmt(best.edges).padStart(8)}  ${fmt(best.solve).padStart(8)}  ${fmt(best.explain).padStart(8)}  ${fmt(best.pipeline).padStart(8)}  ${String(best.pairs).padStart(5)}   ${mb(peakRss)} / ${mb(peakBuffers)} (from ${mb(before.rss)} / ${mb(before.arrayBuffers)})`,
    );
  }
}

async function benchRefresh(lines: string[]): Promise<void> {
  const n = 2000;
  const size = 2600; // the cohort and the managers above them
  const { manager } = orgChart(size, 15);
  const users: StandInUser[] = Array.from({ length: size }, (_, k) => ({
    id: guid(k),
    displayName: `Person ${k}`,
    userPrincipalName: `person${k}@contoso.example`,
    department: ['Sales', 'Finance', 'IT', 'HR', 'Marketing', 'Operations'][k % 6],
    jobTitle: 'Employee',
    officeLocation: 'Berlin',
    preferredLanguage: 'de-DE',
    ...(manager[k] >= 0 ? { managerId: guid(manager[k]) } : {}),
    ...(k % 10 ? { mailboxTimeZone: 'W. Europe Standard Time' } : {}), // one in ten without a mailbox
  }));
  const graph = new GraphStandIn({ users, groups: [] });
  await graph.start();
  const azurite = await startAzurite();
  try {
    const svc = createServices(loadConfig({ AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, TABLE_PREFIX: 'bench', GRAPH_BASE_URL: graph.url, PORT: '0' }));
    await svc.store.ensureTables();
    const programme: Programme = {
      tenantId: TENANT, id: 'bench-dir', name: 'Bench', objectives: 'x', startDate: '2027-01-04', endDate: '2027-06-30', levels: [1, 2, 3],
      cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 1, status: 'open', timeZone: 'Europe/Berlin', checkinWeekday: 'mon', checkinHour: 9,
      reminderAfterDays: 3, createdBy: 'bench', createdAt: '2026-12-01T00:00:00Z',
    };
    await svc.store.programmes.upsert(programme);
    const people: Participant[] = Array.from({ length: n }, (_, k) => ({
      tenantId: TENANT, programmeId: programme.id, userId: guid(size - n + k), role: k % 2 ? 'mentor' : 'mentee', status: 'active',
      name: `Person ${size - n + k}`, department: 'typed', seniority: 'staff', languages: ['en'], timeZone: 'UTC', sessionsPerMonth: 2,
      preferredDays: ['tue'], skills: [2, 2, 2, 0, 0], wantLevels: k % 2 ? [] : [1], joinedAt: '2026-12-01T00:00:00Z', excluded: [],
    }));
    for (let i = 0; i < n; i += 100) await svc.store.participants.transaction(people.slice(i, i + 100).map((p) => ['upsert', p]));

    lines.push(`Directory refresh of a ${n}-person cohort (org chart of ${size}, depth 6-8; 1 in 10 without a mailbox), Graph stand-in, Azurite:`);
    const run = async (label: string) => {
      const requests = graph.requests;
      const subRequests = graph.log.filter((r) => r.inBatch).length;
      const t = Date.now();
      const result = await refreshProgramme(svc, programme);
      const seconds = (Date.now() - t) / 1000;
      if (result.kind !== 'refreshed') throw new Error(`refresh ${result.kind}`);
      lines.push(
        `  ${label.padEnd(44)} ${String(graph.requests - requests).padStart(4)} Graph requests (${graph.log.filter((r) => r.inBatch).length - subRequests} sub-requests)  ${seconds.toFixed(2)} s  ${result.changed} rows written`,
      );
    };
    await run('first refresh (every row gets its facts)');
    await run('again, nothing changed in Entra');
    for (let k = 0; k < 100; k++) graph.users.get(guid(size - n + k * 7))!.department = 'Moved';
    await run('again, 100 people moved department');
    graph.fail(30, { status: 429, retryAfter: 1, scope: 'sub' });
    await run('again, 30 sub-requests throttled (Retry-After 1 s)');
  } finally {
    await graph.stop();
    await azurite.stop();
  }
}

export async function benchDirectory(): Promise<string[]> {
  const lines: string[] = [`Directory benchmark (node ${process.version}, ${os.cpus().length} cores)`, ''];
  await benchRefresh(lines);
  lines.push('');
  await benchMatchingWithChains(lines);
  return lines;
}

export const title = 'Directory (issue 15): refreshing 2,000 people from Graph; matching with the reporting-line rule';
export const run = (): Promise<string[]> => benchDirectory();

if (require.main === module) {
  benchDirectory().then(
    (lines) => console.log(lines.join('\n')),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
