import fc from 'fast-check';
import { munkres } from 'munkres';
import {
  MatchInput,
  Proposal,
  UnmatchedReason,
  buildEdges,
  capacityLeft,
  checkHardRules,
  explainPair,
  match,
  scoreEdge,
  utcOffsetHours,
  wantedLevels,
} from '../bot/domain/matching';
import { solveAssignment } from '../bot/domain/assignment';
import { LEVELS, Level, Participant, SENIORITY, Seniority, Skill, WEEKDAYS, Weekday } from '../bot/domain/types';

// ---------------------------------------------------------------------------------------------
// Builders

let seq = 0;
function person(role: 'mentor' | 'mentee', over: Partial<Participant> = {}): Participant {
  seq++;
  return {
    tenantId: 't1',
    programmeId: 'p1',
    userId: `${role}-${seq}`,
    role,
    status: 'active',
    joinedAt: '2025-01-01T00:00:00Z',
    excluded: [],
    name: `${role} ${seq}`,
    department: role === 'mentor' ? 'it' : 'sales',
    seniority: role === 'mentor' ? 'staff' : 'director',
    languages: ['en'],
    timeZone: 'Europe/Berlin',
    sessionsPerMonth: 2,
    preferredDays: ['tue'],
    skills: role === 'mentor' ? [3, 3, 3, 3, 3] : [1, 1, 0, 0, 0],
    wantLevels: role === 'mentor' ? [] : [3],
    ...over,
  };
}
const mentor = (over: Partial<Participant> = {}): Participant => person('mentor', over);
const mentee = (over: Partial<Participant> = {}): Participant => person('mentee', over);

const programme = (over: Partial<MatchInput['programme']> = {}): MatchInput['programme'] => ({
  levels: [1, 2, 3, 4, 5],
  maxMenteesPerMentor: 1,
  ...over,
});

const reasonOf = (p: Proposal, userId: string): UnmatchedReason | undefined => p.unmatched.find((u) => u.userId === userId)?.reason;
const pairOf = (p: Proposal, menteeId: string): string | undefined => p.pairs.find((x) => x.menteeId === menteeId)?.mentorId;

// ---------------------------------------------------------------------------------------------
// Random cohorts (fast-check)

const LANGS = ['en', 'de', 'nl', 'en-GB', 'FR'];
const ZONES = ['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati', 'Nowhere/Zone', ''];

const profileArb = (role: 'mentor' | 'mentee') =>
  fc.record({
    department: fc.constantFrom('sales', 'it', 'hr', ' Sales'), // ' Sales' is the sales department
    // Mentors skew junior, mentees senior, with overlap; 'intern' is not a known band.
    seniority: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom<Seniority>(...(role === 'mentor' ? SENIORITY.slice(0, 4) : SENIORITY.slice(2))) },
      { weight: 1, arbitrary: fc.constant('intern' as Seniority) },
    ),
    languages: fc.subarray(LANGS),
    timeZone: fc.constantFrom(...ZONES),
    sessionsPerMonth: fc.integer({ min: 0, max: 4 }),
    preferredDays: fc.subarray([...WEEKDAYS] as Weekday[]),
    skills: fc.array(fc.constantFrom<Skill>(...((role === 'mentor' ? [1, 2, 2, 3, 3] : [0, 0, 1, 2, 3]) as Skill[])), { minLength: 5, maxLength: 5 }),
    wantLevels: role === 'mentee' ? fc.subarray([...LEVELS] as Level[], { maxLength: 2 }) : fc.constant([] as Level[]),
    status: fc.constantFrom<Participant['status']>('active', 'active', 'active', 'active', 'paused'),
    excluded: fc.oneof({ weight: 9, arbitrary: fc.constant([] as number[]) }, { weight: 1, arbitrary: fc.array(fc.nat(9), { minLength: 1, maxLength: 2 }) }),
    // Entra ID facts: none, or a chain of managers (people of the cohort or outsiders), so org
    // depths and reporting lines come up, including chains that disagree with each other.
    chain: fc.option(fc.array(fc.nat(23), { maxLength: 3 }), { freq: 2 }),
  });

interface CohortShape {
  minPeople?: number;
  maxMentors: number;
  maxMentees: number;
}

const cohortArb = ({ minPeople = 0, maxMentors, maxMentees }: CohortShape): fc.Arbitrary<MatchInput> =>
  fc
    .record({
      levels: fc.subarray([...LEVELS] as Level[], { minLength: 1 }),
      max: fc.constantFrom(0, 1, 1, 2, 2, 3),
      reportingLineRule: fc.constantFrom(undefined, true, true, false),
      mentors: fc.array(profileArb('mentor'), { minLength: minPeople, maxLength: maxMentors }),
      mentees: fc.array(profileArb('mentee'), { minLength: minPeople, maxLength: maxMentees }),
      past: fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 2 }),
      excludedPairs: fc.array(fc.tuple(fc.nat(9), fc.nat(9)), { maxLength: 2 }),
      load: fc.array(fc.constantFrom(0, 0, 0, 1, 2), { maxLength: maxMentors }),
      // Someone enrolled as a mentor and as a mentee (same user id).
      bothRoles: fc.boolean(),
    })
    .map(({ levels, max, reportingLineRule, mentors, mentees, past, excludedPairs, load, bothRoles }) => {
      const mentorIds = mentors.map((_, k) => `m${k}`);
      const menteeIds = mentees.map((_, k) => (bothRoles && k === 0 && mentors.length ? 'm0' : `e${k}`));
      const at = <T>(xs: T[], k: number): T | undefined => (xs.length ? xs[k % xs.length] : undefined);
      const pool = [...mentorIds, ...menteeIds, 'x0', 'x1', 'x2'];
      const build = (role: 'mentor' | 'mentee', ids: string[], others: string[]) => ({ chain, ...p }: (typeof mentors)[number], k: number): Participant => ({
        ...person(role),
        ...p,
        userId: ids[k],
        excluded: p.excluded.map((x) => at(others, x)).filter((x): x is string => x !== undefined),
        ...(chain ? { directory: { managers: [...new Set(chain.map((x) => at(pool, x)!))].filter((id) => id !== ids[k]), readAt: '2025-01-01T00:00:00Z' } } : {}),
      });
      const pairs = (xs: Array<[number, number]>) =>
        mentors.length && mentees.length ? xs.map(([a, b]) => ({ mentorId: at(mentorIds, a)!, menteeId: at(menteeIds, b)! })) : [];
      return {
        programme: { levels, maxMenteesPerMentor: max, ...(reportingLineRule === undefined ? {} : { reportingLineRule }) },
        mentors: mentors.map(build('mentor', mentorIds, menteeIds)),
        mentees: mentees.map(build('mentee', menteeIds, mentorIds)),
        pastPairs: pairs(past),
        excludedPairs: pairs(excludedPairs),
        existingLoad: Object.fromEntries(load.map((l, k) => [at(mentorIds, k) ?? 'nobody', l])),
      };
    });

const active = (ps: Participant[]): Participant[] => {
  const seen = new Set<string>();
  return ps.filter((p) => p.status === 'active' && !seen.has(p.userId) && (seen.add(p.userId), true));
};

// ---------------------------------------------------------------------------------------------
// A reference explanation, from checkHardRules alone.

const FUNNEL = ['same-department', 'not-less-senior', 'not-lower-in-org', 'level-not-covered', 'reporting-line', 'excluded', 'past-partner', 'capacity'];
const LEVEL_STEP = FUNNEL.indexOf('level-not-covered');
const stepsPassed = (m: Participant, e: Participant, input: MatchInput): number => {
  const broken = new Set(checkHardRules(m, e, input).map((v) => v.rule));
  const k = FUNNEL.findIndex((r) => broken.has(r as never));
  return k < 0 ? FUNNEL.length : k;
};

function expectedMenteeReason(e: Participant, input: MatchInput): UnmatchedReason['code'] | `${string}:${string}` {
  const mentors = active(input.mentors);
  if (!mentors.length) return 'no-mentors';
  const passed = mentors.map((m) => stepsPassed(m, e, input));
  const furthest = Math.max(...passed);
  if (furthest === LEVEL_STEP) {
    const covered = (l: Level) => mentors.some((m, k) => passed[k] >= LEVEL_STEP && (m.skills[l - 1] ?? 0) >= 2);
    const uncovered = wantedLevels(e, input.programme).filter((l) => !covered(l));
    return uncovered.length ? `no-mentor-covers-level:${uncovered[0]}` : 'no-mentor-covers-all-levels';
  }
  return ([
    'no-other-department', 'no-less-senior-mentor', 'no-lower-mentor-in-org', '', 'mentors-in-reporting-line', 'only-excluded-partners', 'only-past-partners',
    'mentors-already-full', 'all-mentors-full',
  ] as const)[
    furthest
  ] as UnmatchedReason['code'];
}

function expectedMentorReason(m: Participant, input: MatchInput): UnmatchedReason['code'] {
  const mentees = active(input.mentees);
  if (!mentees.length) return 'no-mentees';
  if (capacityLeft(m.userId, input) <= 0) return 'no-capacity-left';
  const furthest = Math.max(...mentees.map((e) => stepsPassed(m, e, input)));
  return ([
    'no-other-department', 'no-more-senior-mentee', 'no-higher-mentee-in-org', 'no-mentee-fits', 'mentees-in-reporting-line', 'only-excluded-partners',
    'only-past-partners', 'never', 'mentees-taken',
  ] as const)[furthest] as UnmatchedReason['code'];
}

const reasonKey = (r: UnmatchedReason): string => (r.code === 'no-mentor-covers-level' ? `${r.code}:${r.level}` : r.code);

/** Everything a proposal must satisfy, checked against the rules on the people themselves. */
function checkProposal(input: MatchInput, p: Proposal): void {
  const mentors = new Map(active(input.mentors).map((m) => [m.userId, m]));
  const mentees = new Map(active(input.mentees).map((e) => [e.userId, e]));
  const load = new Map<string, number>();
  const menteesSeen = new Set<string>();
  let total = 0;
  for (const pair of p.pairs) {
    const m = mentors.get(pair.mentorId)!;
    const e = mentees.get(pair.menteeId)!;
    expect(m).toBeDefined();
    expect(e).toBeDefined();
    expect(checkHardRules(m, e, input)).toEqual([]);
    expect(menteesSeen.has(e.userId)).toBe(false);
    menteesSeen.add(e.userId);
    load.set(m.userId, (load.get(m.userId) ?? 0) + 1);
    expect(scoreEdge(m, e, input.programme)).toEqual({ score: pair.score, reasons: pair.reasons });
    expect(pair.score).toBeGreaterThanOrEqual(0);
    expect(pair.score).toBeLessThanOrEqual(100);
    total += pair.score;
  }
  expect(p.totalScore).toBe(total);
  for (const [id, n] of load) expect(n).toBeLessThanOrEqual(capacityLeft(id, input));

  // Everyone taking part is paired or explained, once; nobody else appears.
  const unmatchedIds = p.unmatched.map((u) => `${u.role}:${u.userId}`);
  expect(new Set(unmatchedIds).size).toBe(unmatchedIds.length);
  for (const e of mentees.values()) expect(menteesSeen.has(e.userId) !== unmatchedIds.includes(`mentee:${e.userId}`)).toBe(true);
  for (const m of mentors.values()) expect(load.has(m.userId) !== unmatchedIds.includes(`mentor:${m.userId}`)).toBe(true);
  expect(p.unmatched.every((u) => (u.role === 'mentee' ? mentees : mentors).has(u.userId))).toBe(true);

  // Each reason is the one the rules give, and "full"/"taken" are true of the proposal.
  for (const u of p.unmatched) {
    if (u.role === 'mentee') {
      const e = mentees.get(u.userId)!;
      expect(reasonKey(u.reason)).toBe(expectedMenteeReason(e, input));
      const allowed = [...mentors.values()].filter((m) => checkHardRules(m, e, input).length === 0);
      if (u.reason.code === 'all-mentors-full') {
        expect(u.reason.candidates).toBe(allowed.length);
        for (const m of allowed) expect(load.get(m.userId)).toBe(capacityLeft(m.userId, input));
      } else expect(allowed).toEqual([]);
    } else {
      const m = mentors.get(u.userId)!;
      expect(u.reason.code).toBe(expectedMentorReason(m, input));
      const allowed = [...mentees.values()].filter((e) => checkHardRules(m, e, input).length === 0);
      if (u.reason.code === 'mentees-taken') {
        expect(u.reason.candidates).toBe(allowed.length);
        for (const e of allowed) expect(menteesSeen.has(e.userId)).toBe(true);
      } else expect(allowed).toEqual([]);
    }
  }
}

/** The best (most pairs, then highest total score) over every assignment, by enumeration. */
function bruteForce(input: MatchInput): { pairs: number; score: number } {
  const mentors = active(input.mentors);
  const mentees = active(input.mentees);
  const allowed = mentees.map((e) => mentors.map((m) => checkHardRules(m, e, input).length === 0));
  const score = mentees.map((e) => mentors.map((m) => scoreEdge(m, e, input.programme).score));
  const cap = mentors.map((m) => capacityLeft(m.userId, input));
  const used = mentors.map(() => 0);
  let best = { pairs: 0, score: 0 };
  const go = (i: number, pairs: number, total: number): void => {
    if (i === mentees.length) {
      if (pairs > best.pairs || (pairs === best.pairs && total > best.score)) best = { pairs, score: total };
      return;
    }
    go(i + 1, pairs, total); // mentee i stays unmatched
    mentors.forEach((_, j) => {
      if (!allowed[i][j] || used[j] >= cap[j]) return;
      used[j]++;
      go(i + 1, pairs + 1, total + score[i][j]);
      used[j]--;
    });
  };
  go(0, 0, 0);
  return best;
}

// ---------------------------------------------------------------------------------------------

describe('matching: properties over random cohorts', () => {
  it('never breaks a hard rule or a capacity, and explains everyone left out', () => {
    fc.assert(
      fc.property(cohortArb({ maxMentors: 7, maxMentees: 9 }), (input) => {
        checkProposal(input, match(input));
      }),
      { numRuns: 400 },
    );
  });

  it('finds the optimum: most pairs, then highest total score (brute force, up to 5 mentees x 4 mentors)', () => {
    let nonTrivial = 0;
    fc.assert(
      fc.property(cohortArb({ minPeople: 1, maxMentors: 4, maxMentees: 5 }), (input) => {
        const p = match(input);
        const best = bruteForce(input);
        if (best.pairs >= 2) nonTrivial++;
        expect({ pairs: p.pairs.length, score: p.totalScore }).toEqual(best);
      }),
      { numRuns: 400 },
    );
    expect(nonTrivial).toBeGreaterThan(30); // the generator produces real competition
  });

  it('the fast edge builder applies exactly checkHardRules and scoreEdge', () => {
    fc.assert(
      fc.property(cohortArb({ maxMentors: 6, maxMentees: 6 }), (input) => {
        const edges = buildEdges(input);
        edges.mentees.forEach((e, i) =>
          edges.mentors.forEach((m, j) => {
            const c = edges.cost[i * edges.cols + j];
            const allowed = checkHardRules(m, e, input).length === 0;
            expect(c !== Infinity).toBe(allowed);
            if (allowed) expect(100 - c).toBe(scoreEdge(m, e, input.programme).score);
          }),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('solveAssignment against munkres (reference)', () => {
  const matrixArb = fc
    .record({ rows: fc.integer({ min: 1, max: 12 }), cols: fc.integer({ min: 1, max: 12 }), seed: fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 144, maxLength: 144 }) })
    .chain(({ rows, cols, seed }) =>
      fc.record({
        rows: fc.constant(rows),
        cols: fc.constant(cols),
        cost: fc.constant(Float64Array.from({ length: rows * cols }, (_, k) => seed[k])),
        capacity: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: cols, maxLength: cols }),
      }),
    )
    .filter(({ rows, capacity }) => capacity.reduce((a, b) => a + b, 0) >= rows);

  const total = (cost: Float64Array, cols: number, colOf: ArrayLike<number>): number =>
    Array.from(colOf).reduce((s, j, i) => s + cost[i * cols + j], 0);

  it('matches the optimum of munkres on the slot-expanded matrix, with capacities', () => {
    fc.assert(
      fc.property(matrixArb, ({ rows, cols, cost, capacity }) => {
        const colOf = solveAssignment(cost, rows, cols, capacity);
        const load = new Array(cols).fill(0);
        colOf.forEach((j) => load[j]++);
        load.forEach((n, j) => expect(n).toBeLessThanOrEqual(capacity[j]));
        const slots = capacity.flatMap((c, j) => Array(c).fill(j) as number[]);
        const expanded = Array.from({ length: rows }, (_, i) => slots.map((j) => cost[i * cols + j]));
        const ref = munkres(expanded).reduce((s, [i, k]) => s + expanded[i][k], 0);
        expect(total(cost, cols, colOf)).toBe(ref);
      }),
      { numRuns: 300 },
    );
  });

  it('solves the classic rectangular problem like munkres (capacity 1)', () => {
    fc.assert(
      fc.property(matrixArb.filter(({ rows, cols }) => rows <= cols), ({ rows, cols, cost }) => {
        const colOf = solveAssignment(cost, rows, cols);
        expect(new Set(colOf).size).toBe(rows);
        const matrix = Array.from({ length: rows }, (_, i) => Array.from(cost.subarray(i * cols, (i + 1) * cols)));
        expect(total(cost, cols, colOf)).toBe(munkres(matrix).reduce((s, [i, j]) => s + matrix[i][j], 0));
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with munkres on larger random matrices', () => {
    for (const [rows, cols, seed] of [[150, 150, 1], [120, 200, 2], [200, 260, 3]]) {
      let x = seed;
      const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
      const cost = Float64Array.from({ length: rows * cols }, () => Math.floor(rnd() * 1000));
      const matrix = Array.from({ length: rows }, (_, i) => Array.from(cost.subarray(i * cols, (i + 1) * cols)));
      const ref = munkres(matrix).reduce((s, [i, j]) => s + matrix[i][j], 0);
      expect(total(cost, cols, solveAssignment(cost, rows, cols))).toBe(ref);
    }
  });

  it('honours forbidden edges (Infinity) and reports an impossible problem', () => {
    const I = Infinity;
    const cost = Float64Array.from([1, I, 5, 2]);
    expect(Array.from(solveAssignment(cost, 2, 2))).toEqual([0, 1]);
    expect(() => solveAssignment(Float64Array.from([1, I, 2, I]), 2, 2)).toThrow(/no assignment/);
    expect(() => solveAssignment(Float64Array.from([I, I]), 1, 2)).toThrow(/no allowed column/);
    expect(() => solveAssignment(Float64Array.from([1, 2, 3]), 1, 2)).toThrow(/expected 1x2/);
    expect(Array.from(solveAssignment(new Float64Array(0), 0, 3))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('hard rules', () => {
  const input = (ms: Participant[], es: Participant[], over: Partial<MatchInput> = {}): MatchInput => ({
    programme: programme(),
    mentors: ms,
    mentees: es,
    ...over,
  });

  it('lists every rule a pair breaks', () => {
    const m = mentor({ department: 'Sales ', seniority: 'executive', skills: [3, 3, 1, 0, 0] });
    const e = mentee({ department: 'sales', seniority: 'manager', wantLevels: [3, 4, 5], excluded: [m.userId] });
    const inp = input([m], [e], {
      programme: programme({ levels: [1, 2, 3, 4], maxMenteesPerMentor: 1 }),
      pastPairs: [{ mentorId: m.userId, menteeId: e.userId }],
      existingLoad: { [m.userId]: 1 },
    });
    expect(checkHardRules(m, e, inp)).toEqual([
      { rule: 'same-department' },
      { rule: 'not-less-senior' },
      { rule: 'level-not-covered', level: 3 },
      { rule: 'level-not-covered', level: 4 }, // level 5 is outside the programme
      { rule: 'excluded' },
      { rule: 'past-partner' },
      { rule: 'capacity' },
    ]);
    expect(explainPair(m, e, inp).allowed).toBe(false);
  });

  it('allows a good pair; equal seniority or an unknown band is not "less senior"', () => {
    const m = mentor();
    const e = mentee();
    expect(checkHardRules(m, e, input([m], [e]))).toEqual([]);
    expect(explainPair(m, e, input([m], [e]))).toMatchObject({ allowed: true, violations: [] });
    const peer = mentor({ seniority: 'director' });
    expect(checkHardRules(peer, e, input([peer], [e]))).toEqual([{ rule: 'not-less-senior' }]);
    const unknown = mentor({ seniority: 'intern' as Seniority });
    expect(checkHardRules(unknown, e, input([unknown], [e]))).toEqual([{ rule: 'not-less-senior' }]);
  });

  it('counts admin exclusions and either side\'s own list', () => {
    const m = mentor();
    const e = mentee();
    expect(checkHardRules(m, e, input([m], [e], { excludedPairs: [{ mentorId: m.userId, menteeId: e.userId }] }))).toEqual([{ rule: 'excluded' }]);
    const m2 = mentor({ excluded: [e.userId] });
    expect(checkHardRules(m2, e, input([m2], [e]))).toEqual([{ rule: 'excluded' }]);
  });
});

describe('reporting lines and org depth (Entra ID)', () => {
  const facts = (...managers: string[]) => ({ directory: { managers, readAt: '2025-01-01T00:00:00Z' } });
  const input = (ms: Participant[], es: Participant[], over: Partial<MatchInput['programme']> = {}): MatchInput => ({
    programme: programme(over),
    mentors: ms,
    mentees: es,
  });

  it('never pairs a mentor with a mentee above or below them in one chain, at any depth', () => {
    const boss = mentee({ userId: 'boss', ...facts('ceo') });
    const below = mentor({ userId: 'below', ...facts('lead', 'boss', 'ceo') }); // two levels under the mentee
    expect(checkHardRules(below, boss, input([below], [boss]))).toEqual([{ rule: 'reporting-line' }]);
    // The mentor above the mentee: also lower rank in org depth terms, so both rules say no.
    const e = mentee({ userId: 'e', ...facts('x', 'y', 'boss2', 'ceo') });
    const above = mentor({ userId: 'boss2', ...facts('ceo') });
    expect(checkHardRules(above, e, input([above], [e]))).toEqual([{ rule: 'not-lower-in-org' }, { rule: 'reporting-line' }]);
    // Another branch of the same company is fine.
    const other = mentor({ userId: 'other', ...facts('lead2', 'cfo', 'ceo') });
    expect(checkHardRules(other, boss, input([other], [boss]))).toEqual([]);
  });

  it('an admin can switch the reporting-line rule off for a programme', () => {
    const boss = mentee({ userId: 'boss3', ...facts('ceo') });
    const below = mentor({ userId: 'below3', ...facts('boss3', 'ceo') });
    expect(checkHardRules(below, boss, input([below], [boss], { reportingLineRule: false }))).toEqual([]);
    expect(pairOf(match(input([below], [boss], { reportingLineRule: false })), 'boss3')).toBe('below3');
  });

  it('org depth: the mentor must sit lower than the mentee when both are known', () => {
    const e = mentee({ userId: 'd2', ...facts('a', 'b') });
    const peer = mentor({ userId: 'p2', ...facts('c', 'd') });
    expect(checkHardRules(peer, e, input([peer], [e]))).toEqual([{ rule: 'not-lower-in-org' }]);
    const unknown = mentor({ userId: 'u2' });
    expect(checkHardRules(unknown, e, input([unknown], [e]))).toEqual([]);
    expect(checkHardRules(peer, mentee({ userId: 'u3' }), input([peer], []))).toEqual([]);
    expect(reasonOf(match(input([peer], [e])), 'd2')).toEqual({ code: 'no-lower-mentor-in-org' });
    expect(reasonOf(match(input([peer], [e])), 'p2')).toEqual({ code: 'no-higher-mentee-in-org' });
  });

  it('skips the best-scoring mentor in the mentee\'s chain for the next best, and explains who is left out', () => {
    const boss = mentee({ userId: 'boss4', preferredDays: ['tue'], languages: ['de'], ...facts('ceo') });
    // The in-chain mentor matches the mentee on everything; the other one less well.
    const inChain = mentor({ userId: 'chain4', preferredDays: ['tue'], languages: ['de'], ...facts('lead', 'boss4', 'ceo') });
    const outside = mentor({ userId: 'out4', preferredDays: ['fri'], languages: ['fr'], skills: [2, 2, 2, 2, 2], ...facts('lead', 'cfo', 'ceo') });
    expect(scoreEdge(inChain, boss, programme()).score).toBeGreaterThan(scoreEdge(outside, boss, programme()).score);
    const p = match(input([inChain, outside], [boss]));
    expect(pairOf(p, 'boss4')).toBe('out4');
    expect(reasonOf(p, 'chain4')).toEqual({ code: 'mentees-in-reporting-line' });
    const alone = match(input([inChain], [boss]));
    expect(reasonOf(alone, 'boss4')).toEqual({ code: 'mentors-in-reporting-line' });
  });
});

describe('match: specific cases', () => {
  const run = (mentors: Participant[], mentees: Participant[], over: Partial<MatchInput> = {}): Proposal => {
    const input: MatchInput = { programme: programme(), mentors, mentees, ...over };
    const p = match(input);
    checkProposal(input, p);
    return p;
  };

  it('the only level-4 expert is in the mentee\'s department: no-mentor-covers-level 4', () => {
    const expert = mentor({ department: 'sales', skills: [3, 3, 3, 3, 0] });
    const other = mentor({ department: 'it', skills: [3, 3, 3, 1, 0] });
    const e = mentee({ department: 'sales', wantLevels: [4] });
    const p = run([expert, other], [e]);
    expect(reasonOf(p, e.userId)).toEqual({ code: 'no-mentor-covers-level', level: 4, levels: [4] });
    expect(reasonOf(p, other.userId)).toEqual({ code: 'no-mentee-fits', levels: [4] });
    expect(reasonOf(p, expert.userId)).toEqual({ code: 'no-other-department' });
  });

  it('each wanted level is covered, but by different mentors: no-mentor-covers-all-levels', () => {
    const a = mentor({ skills: [3, 3, 3, 0, 0] });
    const b = mentor({ skills: [3, 3, 0, 3, 0] });
    const e = mentee({ wantLevels: [3, 4] });
    expect(reasonOf(run([a, b], [e]), e.userId)).toEqual({ code: 'no-mentor-covers-all-levels', levels: [3, 4] });
  });

  it('names seniority, departments, and missing mentors or mentees', () => {
    const senior = mentor({ seniority: 'executive' });
    const e = mentee({ seniority: 'manager' });
    const p = run([senior], [e]);
    expect(reasonOf(p, e.userId)).toEqual({ code: 'no-less-senior-mentor' });
    expect(reasonOf(p, senior.userId)).toEqual({ code: 'no-more-senior-mentee' });

    const colleague = mentor({ department: 'sales' });
    expect(reasonOf(run([colleague], [e]), e.userId)).toEqual({ code: 'no-other-department' });

    const paused = mentor({ status: 'paused' });
    const alone = run([paused], [e]);
    expect(reasonOf(alone, e.userId)).toEqual({ code: 'no-mentors' });
    expect(alone.unmatched.map((u) => u.userId)).toEqual([e.userId]); // inactive people take no part
    const m = mentor();
    expect(run([m], [])).toEqual({ pairs: [], unmatched: [{ userId: m.userId, role: 'mentor', reason: { code: 'no-mentees' } }], totalScore: 0 });
  });

  it('capacity goes to the better pair; the other mentee learns all-mentors-full', () => {
    const m = mentor({ languages: ['de'], preferredDays: ['wed'] });
    const good = mentee({ languages: ['de'], preferredDays: ['wed'] });
    const weaker = mentee({ languages: ['en'], preferredDays: ['fri'] });
    const p = run([m], [weaker, good]);
    expect(pairOf(p, good.userId)).toBe(m.userId);
    expect(reasonOf(p, weaker.userId)).toEqual({ code: 'all-mentors-full', candidates: 1 });
  });

  it('maximises the number of pairs before the score (a greedy pick would strand y)', () => {
    const a = mentor({ department: 'it', languages: ['de'], timeZone: 'Europe/Berlin' });
    const b = mentor({ department: 'hr', languages: ['fr'], timeZone: 'Asia/Kolkata' });
    const x = mentee({ department: 'sales', languages: ['de'] }); // may take a or b, a is better
    const y = mentee({ department: 'hr', languages: ['fr'] }); // only a
    expect(scoreEdge(a, x, programme()).score).toBeGreaterThan(scoreEdge(b, x, programme()).score);
    const p = run([a, b], [x, y]);
    expect(p.pairs).toHaveLength(2);
    expect(pairOf(p, x.userId)).toBe(b.userId);
    expect(pairOf(p, y.userId)).toBe(a.userId);
  });

  it('never re-pairs past partners, respects exclusions, and says so', () => {
    const m = mentor();
    const e1 = mentee();
    const e2 = mentee();
    const e3 = mentee({ excluded: [m.userId] });
    const p = run([m], [e1, e2, e3], {
      programme: programme({ maxMenteesPerMentor: 3 }),
      pastPairs: [{ mentorId: m.userId, menteeId: e1.userId }],
      excludedPairs: [{ mentorId: m.userId, menteeId: e2.userId }],
    });
    expect(p.pairs).toEqual([]);
    expect(reasonOf(p, e1.userId)).toEqual({ code: 'only-past-partners' });
    expect(reasonOf(p, e2.userId)).toEqual({ code: 'only-excluded-partners' });
    expect(reasonOf(p, e3.userId)).toEqual({ code: 'only-excluded-partners' });
    // e1 gets past the exclusions and fails only as a past partner: the furthest step wins.
    expect(reasonOf(p, m.userId)).toEqual({ code: 'only-past-partners' });
  });

  it('existingLoad reduces capacity', () => {
    const m = mentor();
    const busy = mentor();
    const es = [mentee(), mentee(), mentee()];
    const p = run([m, busy], es, {
      programme: programme({ maxMenteesPerMentor: 2 }),
      existingLoad: { [m.userId]: 1, [busy.userId]: 2 },
    });
    expect(p.pairs.map((x) => x.mentorId)).toEqual([m.userId]);
    expect(reasonOf(p, busy.userId)).toEqual({ code: 'no-capacity-left' });
    expect(p.unmatched.filter((u) => u.role === 'mentee').map((u) => u.reason)).toEqual([
      { code: 'all-mentors-full', candidates: 1 },
      { code: 'all-mentors-full', candidates: 1 },
    ]);

    const full = run([busy], [mentee()], { existingLoad: { [busy.userId]: 1 } });
    expect(full.unmatched.map((u) => u.reason.code)).toEqual(['mentors-already-full', 'no-capacity-left']);
  });

  it('a mentor whose mentees all went to others: mentees-taken', () => {
    const best = mentor({ languages: ['de'] });
    const second = mentor({ languages: ['fr'] });
    const e = mentee({ languages: ['de'] });
    const p = run([best, second], [e]);
    expect(pairOf(p, e.userId)).toBe(best.userId);
    expect(reasonOf(p, second.userId)).toEqual({ code: 'mentees-taken', candidates: 1 });
  });

  it('uses the first of duplicate enrolments and never pairs someone with themself', () => {
    const m = mentor({ userId: 'u1' });
    const dup = mentor({ userId: 'u1', department: 'sales' });
    const self = mentee({ userId: 'u1', department: 'hr' });
    const p = run([m, dup], [self]);
    expect(p.pairs).toEqual([]);
    expect(reasonOf(p, 'u1')).toEqual({ code: 'only-excluded-partners' });
  });

  it('scores languages exactly when a cohort has more languages than bits', () => {
    const langs = Array.from({ length: 40 }, (_, k) => `l${k}`);
    const mentors = langs.map((l) => mentor({ languages: [l] }));
    const mentees = langs.map((l, k) => mentee({ languages: [langs[(k + 7) % 40], l] }));
    const input: MatchInput = { programme: programme(), mentors, mentees };
    const edges = buildEdges(input);
    mentees.forEach((e, i) => mentors.forEach((m, j) => expect(100 - edges.cost[i * edges.cols + j]).toBe(scoreEdge(m, e, input.programme).score)));
    const p = match(input);
    expect(p.pairs).toHaveLength(40);
    expect(p.pairs.every((x) => x.reasons.some((r) => r.code === 'shared-language'))).toBe(true);
  });
});

describe('scoreEdge', () => {
  it('explains with machine codes, largest contribution first', () => {
    const m = mentor({ skills: [2, 2, 2, 3, 0], languages: ['de', 'en'], timeZone: 'Europe/London', preferredDays: ['tue', 'thu'], sessionsPerMonth: 2 });
    const e = mentee({ wantLevels: [4], languages: ['DE-at'], timeZone: 'Europe/Berlin', preferredDays: ['tue'], sessionsPerMonth: 3 });
    const { score, reasons } = scoreEdge(m, e, { levels: [1, 2, 3, 4, 5] });
    expect(reasons).toEqual([
      { code: 'teaches-level', level: 4, points: 40 },
      { code: 'shared-language', lang: 'de', points: 15 },
      { code: 'same-days', days: ['tue'], points: 15 },
      { code: 'tz-close', hours: 1, points: 8.8 },
      { code: 'covers-other-levels', levels: [1, 2, 3], points: 7.5 },
      { code: 'similar-sessions', mentor: 2, mentee: 3, points: 6.7 },
    ]);
    expect(score).toBe(93); // 40 + 7.5 + 15 + 15 + 6.67 + 8.75
    for (let k = 1; k < reasons.length; k++) expect(reasons[k - 1].points).toBeGreaterThanOrEqual(reasons[k].points);
  });

  it('goes from 0 to 100, prefers a mentor who can teach, and scores unknowns neutral', () => {
    const perfect = scoreEdge(mentor(), mentee(), { levels: [1, 2, 3, 4, 5] });
    expect(perfect.score).toBe(100);
    const confidentOnly = scoreEdge(mentor({ skills: [2, 2, 2, 2, 2] }), mentee(), { levels: [1, 2, 3, 4, 5] });
    expect(confidentOnly.score).toBe(80);
    expect(confidentOnly.reasons[0]).toEqual({ code: 'confident-level', level: 3, points: 20 });
    const unknown = scoreEdge(mentor({ timeZone: 'Nowhere/Zone', languages: [], preferredDays: [] }), mentee(), { levels: [1, 2, 3, 4, 5] });
    expect(unknown.score).toBe(Math.round(40 + 10 + 7.5 + 7.5 + 10 + 5));
    expect(unknown.reasons.map((r) => r.code)).toEqual(['teaches-level', 'covers-other-levels', 'same-sessions']);
    const far = scoreEdge(mentor({ timeZone: 'America/New_York', languages: ['fr'], preferredDays: ['sat'], sessionsPerMonth: 4, skills: [0, 0, 0, 0, 0] }), mentee({ sessionsPerMonth: 1, timeZone: 'Asia/Kolkata' }), { levels: [1, 2, 3, 4, 5] });
    expect(far.score).toBe(0);
    expect(far.reasons).toEqual([{ code: 'no-shared-language', points: 0 }, { code: 'tz-far', hours: 10.5, points: 0 }]);
  });

  it('uses fixed-date UTC offsets', () => {
    expect(utcOffsetHours('Asia/Kolkata')).toBe(5.5);
    expect(utcOffsetHours('America/New_York')).toBe(-5); // January: standard time, every day of the year
    expect(utcOffsetHours('Europe/London')).toBe(0);
    expect(utcOffsetHours('Nowhere/Zone')).toBeNaN();
    expect(utcOffsetHours('')).toBeNaN();
  });
});

describe('a realistic cohort', () => {
  it('accounts for every mentee of a 600 x 600 cohort: paired once or unmatched with a reason', () => {
    // Speed is measured in tests/bench/matching.bench.ts (2,000 x 2,000 against scipy), not here.
    const levels: Level[] = [1, 2, 3, 4, 5];
    let x = 7;
    const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
    const people = (role: 'mentor' | 'mentee') =>
      Array.from({ length: 600 }, () =>
        person(role, {
          department: pick(['a', 'b', 'c', 'd', 'e', 'f']),
          seniority: pick(role === 'mentor' ? SENIORITY.slice(0, 3) : SENIORITY.slice(3)),
          skills: levels.map(() => pick(role === 'mentor' ? [1, 2, 3, 3] : [0, 1, 1, 2])) as Skill[],
          wantLevels: role === 'mentee' ? [pick(levels)] : [],
          languages: [pick(['en', 'de', 'nl', 'fr'])],
          timeZone: pick(['Europe/Berlin', 'Europe/London', 'America/New_York', 'Asia/Kolkata']),
          sessionsPerMonth: 1 + Math.floor(rnd() * 4),
          preferredDays: [pick(WEEKDAYS.slice(0, 5))],
        }),
      );
    const input: MatchInput = { programme: programme({ maxMenteesPerMentor: 2 }), mentors: people('mentor'), mentees: people('mentee') };
    const p = match(input);
    const paired = p.pairs.map((x) => x.menteeId);
    expect(new Set(paired).size).toBe(paired.length);
    const unmatched = p.unmatched.filter((u) => u.role === 'mentee');
    for (const u of unmatched) expect(u.reason.code).toBeTruthy();
    expect(paired.length + unmatched.length).toBe(600);
    const load = new Map<string, number>();
    for (const x of p.pairs) load.set(x.mentorId, (load.get(x.mentorId) ?? 0) + 1);
    expect(Math.max(...load.values())).toBeLessThanOrEqual(2);
  });
});
