import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Catalogue } from '../bot/domain/types';
import {

  clearCatalogueCache,
  findTutorial,
  getCatalogue,
  ladderView,
  loadCatalogues,
  suggestFirstTutorial,
  tutorialIds,
  useCatalogueDir,
  validateCatalogues,
} from '../bot/domain/ladder';
import { LEVELS, LOCALES, Locale, TutorialStatus } from '../bot/domain/types';

const shipped = (): Record<Locale, Catalogue> => loadCatalogues();
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const level = (c: Catalogue, n: number) => c.levels.find((l) => l.level === n)!;

describe('shipped tutorial catalogue', () => {
  it('loads from the default folder and validates without problems', () => {
    expect(validateCatalogues(shipped())).toEqual([]);
  });

  it('has all five levels with at least 3 tutorials each and the same ids in every language', () => {
    const c = shipped();
    const en = c.en;
    expect(en.levels.map((l) => l.level)).toEqual([...LEVELS]);
    for (const locale of LOCALES) {
      for (const n of LEVELS) {
        const lv = level(c[locale], n);
        expect(lv.tutorials.length).toBeGreaterThanOrEqual(3);
        expect(lv.tutorials.map((t) => t.id)).toEqual(level(en, n).tutorials.map((t) => t.id));
        for (const t of lv.tutorials) {
          expect(t.level).toBe(n);
          expect(t.id.startsWith(`l${n}-`)).toBe(true);
          expect(t.activities.length).toBeGreaterThanOrEqual(2);
          expect(t.activities.length).toBeLessThanOrEqual(4);
        }
      }
    }
    // Translated, not copied: level titles and most tutorial titles differ from English.
    expect(level(c.de, 1).title).not.toBe(level(en, 1).title);
    expect(level(c.nl, 5).title).not.toBe(level(en, 5).title);
  });

  it('covers the topics the product names', () => {
    const ids = tutorialIds();
    for (const id of ['l1-profile', 'l1-network', 'l2-guidelines', 'l2-employer-branding', 'l3-linkedin', 'l4-find-experts', 'l5-drive-adoption']) {
      expect(ids).toContain(id);
    }
    expect(new Set(ids).size).toBe(ids.length);
    const external = level(shipped().en, 3).tutorials.map((t) => `${t.title} ${t.description}`).join(' ');
    for (const network of ['LinkedIn', 'Xing', 'Kununu', 'X', 'Facebook', 'YouTube']) expect(external).toContain(network);
  });

  it('getCatalogue, findTutorial and tutorialIds agree with the files', () => {
    const de = getCatalogue('de');
    expect(getCatalogue('de')).toBe(de); // cached
    const t = findTutorial('l3-linkedin', 'de');
    expect(t?.level).toBe(3);
    expect(t?.title).toBe(level(shipped().de, 3).tutorials.find((x) => x.id === 'l3-linkedin')!.title);
    expect(findTutorial('no-such-tutorial', 'en')).toBeUndefined();
    expect(tutorialIds([2])).toEqual(level(shipped().en, 2).tutorials.map((x) => x.id));
    expect(tutorialIds([1, 2])).toEqual([...tutorialIds([1]), ...tutorialIds([2])]);
    expect(tutorialIds()).toHaveLength(shipped().en.levels.reduce((n, l) => n + l.tutorials.length, 0));
  });

  it('finds the catalogue when given a folder, and fails clearly when a file is missing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-'));
    try {
      for (const l of LOCALES) fs.copyFileSync(path.join(__dirname, '..', 'bot', 'ladder', `catalogue.${l}.json`), path.join(dir, `catalogue.${l}.json`));
      expect(validateCatalogues(loadCatalogues(dir))).toEqual([]);
      fs.unlinkSync(path.join(dir, 'catalogue.nl.json'));
      expect(() => loadCatalogues(dir)).toThrow(/catalogue\.nl\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('validateCatalogues', () => {
  it('reports a duplicate id', () => {
    const c = clone(shipped());
    level(c.en, 2).tutorials[1].id = level(c.en, 2).tutorials[0].id;
    const problems = validateCatalogues(c);
    expect(problems.some((p) => p.includes('[en]') && p.includes('duplicate') && p.includes(level(c.en, 2).tutorials[0].id))).toBe(true);
  });

  it('reports a tutorial missing in one language', () => {
    const c = clone(shipped());
    const lv = level(c.nl, 4);
    const removed = lv.tutorials.pop()!;
    const problems = validateCatalogues(c);
    expect(problems).toContainEqual(expect.stringMatching(new RegExp(`^\\[nl\\] tutorial "${removed.id}" is missing`)));
    // Only Dutch is reported as missing it.
    expect(problems.filter((p) => p.includes(`"${removed.id}" is missing`))).toHaveLength(1);
  });

  it('reports a level with only 2 tutorials', () => {
    const c = clone(shipped());
    for (const l of LOCALES) level(c[l], 5).tutorials = level(c[l], 5).tutorials.slice(0, 2);
    const problems = validateCatalogues(c);
    for (const l of LOCALES) expect(problems).toContain(`[${l}] level 5: has 2 tutorials, needs at least 3`);
  });

  it('reports empty texts, wrong activity counts, bad durations, level mismatches and missing levels', () => {
    const c = clone(shipped());
    const t = level(c.de, 1).tutorials[0];
    t.goal = '  ';
    t.activities = ['nur eine'];
    t.durationMinutes = 5;
    level(c.en, 3).tutorials[0].level = 4;
    c.de.levels = c.de.levels.filter((l) => l.level !== 2);
    const problems = validateCatalogues(c).join('\n');
    expect(problems).toMatch(/\[de\] level 1, tutorial "l1-profile": goal is empty/);
    expect(problems).toMatch(/\[de\] level 1, tutorial "l1-profile": has 1 activities, needs 2-4/);
    expect(problems).toMatch(/\[de\] level 1, tutorial "l1-profile": durationMinutes must be .*found 5/);
    expect(problems).toMatch(/\[en\] level 3, tutorial "l3-key-terms": its level field \(4\)/);
    expect(problems).toMatch(/\[de\] level 2 is missing/);
    expect(problems).toMatch(/\[de\] tutorial "l2-guidelines" is missing/);
  });

  it('getCatalogue throws listing every problem when the files are invalid', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-bad-'));
    const broken = clone(shipped());
    level(broken.en, 1).tutorials = level(broken.en, 1).tutorials.slice(0, 2);
    level(broken.de, 3).tutorials[0].durationMinutes = 500;
    for (const l of LOCALES) fs.writeFileSync(path.join(dir, `catalogue.${l}.json`), JSON.stringify(broken[l]));
    try {
      useCatalogueDir(dir);
      let message = '';
      try {
        getCatalogue('nl');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain('[en] level 1: has 2 tutorials, needs at least 3');
      expect(message).toMatch(/\[en\] tutorial "l1-[a-z-]+" is missing/);
      expect(message).toMatch(/\[de\] level 3, tutorial "l3-key-terms": durationMinutes must be .*found 500/);
      // Fixing the files and clearing the cache makes it load again.
      for (const l of LOCALES) fs.writeFileSync(path.join(dir, `catalogue.${l}.json`), JSON.stringify(shipped()[l]));
      clearCatalogueCache();
      expect(getCatalogue('nl').levels).toHaveLength(5);
    } finally {
      useCatalogueDir(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(findTutorial('l1-profile', 'en')?.level).toBe(1);
  });
});

describe('ladderView', () => {
  const ids1 = () => tutorialIds([1]);
  const ids2 = () => tutorialIds([2]);

  it('computes done, total and percent per level and overall', () => {
    const [a, b, c] = ids1();
    const progress = new Map<string, TutorialStatus>([[a, 'done'], [b, 'done'], [c, 'in-progress'], ['unknown-id', 'done']]);
    const v = ladderView(progress, 'en', [1, 2]);
    expect(v.levels.map((l) => l.level)).toEqual([1, 2]);
    const l1 = v.levels[0];
    expect(l1.total).toBe(ids1().length);
    expect(l1.done).toBe(2);
    expect(l1.percent).toBe(Math.round((2 / ids1().length) * 100));
    expect(l1.tutorials.find((t) => t.id === c)!.status).toBe('in-progress');
    expect(l1.tutorials.filter((t) => t.status === 'not-started')).toHaveLength(ids1().length - 3);
    expect(v.levels[1].done).toBe(0);
    expect(v.levels[1].percent).toBe(0);
    expect(v.total).toBe(ids1().length + ids2().length);
    expect(v.done).toBe(2);
    expect(v.percent).toBe(Math.round((2 / v.total) * 100));
  });

  it('suggests an in-progress tutorial before an earlier not-started one', () => {
    const l1 = ids1();
    const v = ladderView({ [l1[0]]: 'done', [l1[2]]: 'in-progress' }, 'en', [1, 2, 3]);
    expect(v.next?.id).toBe(l1[2]);
    expect(v.next?.status).toBe('in-progress');
    const w = ladderView({ [l1[0]]: 'done' }, 'en', [1, 2, 3]);
    expect(w.next?.id).toBe(l1[1]);
    expect(w.next?.status).toBe('not-started');
  });

  it('prefers the lowest unfinished wanted level in scope', () => {
    const progress: Record<string, TutorialStatus> = {};
    for (const id of tutorialIds([2])) progress[id] = 'done';
    // Wants 2 (complete) and 4; 4 is in scope: next comes from level 4 even though level 1 is untouched.
    const v = ladderView(progress, 'de', [1, 2, 3, 4], [4, 2]);
    expect(v.next?.id).toBe(tutorialIds([4])[0]);
    expect(v.next?.title).toBe(findTutorial(tutorialIds([4])[0], 'de')!.title);
    expect(v.levels.find((l) => l.level === 2)!.complete).toBe(true);
    expect(v.levels.find((l) => l.level === 4)!.wanted).toBe(true);
    // Wanted level 5 is out of scope: fall back to the lowest unfinished level in scope.
    const w = ladderView(progress, 'en', [1, 2, 3], [5]);
    expect(w.next?.id).toBe(tutorialIds([1])[0]);
    // Every wanted level done: next is the lowest unfinished in scope.
    const x = ladderView(progress, 'en', [2, 3], [2]);
    expect(x.next?.id).toBe(tutorialIds([3])[0]);
  });

  it('reports 100 percent and no next tutorial when everything in scope is done', () => {
    const progress = new Map<string, TutorialStatus>(tutorialIds([1, 2]).map((id) => [id, 'done']));
    const v = ladderView(progress, 'nl', [1, 2], [1]);
    expect(v.percent).toBe(100);
    expect(v.levels.every((l) => l.percent === 100 && l.complete)).toBe(true);
    expect(v.next).toBeUndefined();
    // Outside the scope there is still work: widening the scope brings it back.
    expect(ladderView(progress, 'nl', [1, 2, 3]).next?.id).toBe(tutorialIds([3])[0]);
  });

  it('defaults to all five levels and no progress', () => {
    const v = ladderView(new Map(), 'en');
    expect(v.levels.map((l) => l.level)).toEqual([...LEVELS]);
    expect(v.percent).toBe(0);
    expect(v.next?.id).toBe(tutorialIds([1])[0]);
  });
});

describe('suggestFirstTutorial', () => {
  it('picks the first tutorial of the lowest wanted level in scope', () => {
    expect(suggestFirstTutorial([1, 2, 3, 4, 5], [4, 3], 'en')?.id).toBe(tutorialIds([3])[0]);
    expect(suggestFirstTutorial([4, 1, 5], [5, 4], 'de')?.id).toBe(tutorialIds([4])[0]);
    expect(suggestFirstTutorial([1, 2], [2], 'nl')).toEqual(level(shipped().nl, 2).tutorials[0]);
  });

  it('falls back to the lowest level in scope when nothing wanted is in scope', () => {
    expect(suggestFirstTutorial([2, 3], [5], 'en')?.id).toBe(tutorialIds([2])[0]);
    expect(suggestFirstTutorial([3, 2], [], 'en')?.id).toBe(tutorialIds([2])[0]);
    expect(suggestFirstTutorial([], [1], 'en')).toBeUndefined();
  });
});
