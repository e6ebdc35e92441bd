// The tutorial ladder: five levels of tutorials, shipped in English, German and Dutch as JSON
// in bot/ladder/. Pure domain logic: reads the catalogue files, validates them, and computes a
// person's ladder view (progress per level and the next suggested tutorial).
// No Bot Framework, HTTP or storage types here.

import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { joinLadder } from './ladderJoin';
import { Catalogue, LadderLevel, LadderStatus, LadderView, LevelStatus, LEVELS, LOCALES, Level, Locale, Tutorial, TutorialStatus } from './types';


export type ProgressInput = Map<string, TutorialStatus> | Record<string, TutorialStatus>;

// Limits the shipped catalogue keeps and an edited one must keep too (cards stay readable).
export const MIN_TUTORIALS_PER_LEVEL = 3;
export const MIN_ACTIVITIES = 2;
export const MAX_ACTIVITIES = 4;
export const MIN_DURATION_MINUTES = 20;
export const MAX_DURATION_MINUTES = 90;
export const MAX_TITLE_CHARS = 60;
export const MAX_TEXT_CHARS = 200;
export const MAX_ACTIVITY_CHARS = 140;
export const TUTORIAL_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const catalogueFile = (locale: Locale): string => `catalogue.${locale}.json`;

/** bot/ladder next to bot/domain when run from source; the repository's bot/ladder when run from dist/bot/domain. */
function defaultDir(): string {
  const candidates = [path.join(__dirname, '..', 'ladder'), path.join(__dirname, '..', '..', '..', 'bot', 'ladder')];
  for (const dir of candidates) {
    if (fs.existsSync(path.join(dir, catalogueFile('en')))) return dir;
  }
  throw new Error(`Tutorial catalogue not found; looked in: ${candidates.join(', ')}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Turns parsed JSON into a Catalogue without judging it: tutorials take their level from the
 * enclosing level unless they name one themselves. Wrong shapes are kept as they are, for
 * validateCatalogues to report.
 */
function normalise(raw: unknown): Catalogue {
  if (!isRecord(raw) || !Array.isArray(raw.levels)) return { levels: [] };
  const levels = raw.levels.map((l: unknown) => {
    const lv = isRecord(l) ? l : {};
    const tutorials = Array.isArray(lv.tutorials)
      ? lv.tutorials.map((t: unknown) => {
          const tu = isRecord(t) ? t : {};
          return { ...tu, level: tu.level ?? lv.level } as unknown as Tutorial;
        })
      : (lv.tutorials as Tutorial[]);
    return { ...lv, tutorials } as unknown as LadderLevel;
  });
  return { levels };
}

/** Reads catalogue.<locale>.json for every locale. Throws on a missing file or invalid JSON; does not validate. */
export function loadCatalogues(dir?: string): Record<Locale, Catalogue> {
  const base = dir ?? defaultDir();
  const out = {} as Record<Locale, Catalogue>;
  for (const locale of LOCALES) {
    const file = path.join(base, catalogueFile(locale));
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`Cannot read tutorial catalogue ${file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`Tutorial catalogue ${file} is not valid JSON: ${(e as Error).message}`);
    }
    out[locale] = normalise(parsed);
  }
  return out;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Every problem in the catalogues, one clear sentence each. An empty list means valid. */
export function validateCatalogues(c: Record<Locale, Catalogue>): string[] {
  const problems: string[] = [];
  // Where each id sits, per locale: level and duration, for the cross-language checks.
  const placed = new Map<Locale, Map<string, { level: unknown; duration: unknown; activities: number }>>();

  for (const locale of LOCALES) {
    const ids = new Map<string, { level: unknown; duration: unknown; activities: number }>();
    placed.set(locale, ids);
    const cat = c[locale] as Catalogue | undefined;
    if (!cat || !Array.isArray(cat.levels)) {
      problems.push(`[${locale}] catalogue is missing or has no "levels" list`);
      continue;
    }
    const seenLevels = new Set<unknown>();
    cat.levels.forEach((lv, li) => {
      const where = `[${locale}] level ${isRecord(lv) ? String(lv.level) : `#${li + 1}`}`;
      if (!isRecord(lv)) {
        problems.push(`[${locale}] levels entry #${li + 1} is not an object`);
        return;
      }
      if (!(LEVELS as readonly unknown[]).includes(lv.level)) {
        problems.push(`${where}: "level" must be one of ${LEVELS.join(', ')}`);
      } else if (seenLevels.has(lv.level)) {
        problems.push(`${where}: level appears more than once`);
      }
      seenLevels.add(lv.level);
      if (!isText(lv.title)) problems.push(`${where}: title is empty`);
      else if (lv.title.length > MAX_TITLE_CHARS) problems.push(`${where}: title is longer than ${MAX_TITLE_CHARS} characters`);
      if (!isText(lv.focus)) problems.push(`${where}: focus is empty`);
      else if (lv.focus.length > MAX_TEXT_CHARS) problems.push(`${where}: focus is longer than ${MAX_TEXT_CHARS} characters`);
      if (!Array.isArray(lv.tutorials)) {
        problems.push(`${where}: has no "tutorials" list`);
        return;
      }
      if (lv.tutorials.length < MIN_TUTORIALS_PER_LEVEL) {
        problems.push(`${where}: has ${lv.tutorials.length} tutorials, needs at least ${MIN_TUTORIALS_PER_LEVEL}`);
      }
      lv.tutorials.forEach((t, ti) => {
        if (!isRecord(t)) {
          problems.push(`${where}: tutorial #${ti + 1} is not an object`);
          return;
        }
        const id = t.id;
        const tw = `${where}, tutorial ${isText(id) ? `"${id}"` : `#${ti + 1}`}`;
        if (!isText(id)) {
          problems.push(`${tw}: id is empty`);
        } else {
          if (!TUTORIAL_ID_PATTERN.test(id)) problems.push(`${tw}: id must be lower case letters, digits and single hyphens`);
          if (ids.has(id)) problems.push(`[${locale}] duplicate tutorial id "${id}"`);
          else ids.set(id, { level: lv.level, duration: t.durationMinutes, activities: Array.isArray(t.activities) ? t.activities.length : -1 });
        }
        if (t.level !== lv.level) problems.push(`${tw}: its level field (${String(t.level)}) does not match the level it is listed under`);
        for (const field of ['title', 'description', 'goal'] as const) {
          const v = t[field];
          const max = field === 'title' ? MAX_TITLE_CHARS : MAX_TEXT_CHARS;
          if (!isText(v)) problems.push(`${tw}: ${field} is empty`);
          else if (v.length > max) problems.push(`${tw}: ${field} is longer than ${max} characters`);
        }
        if (!Array.isArray(t.activities)) {
          problems.push(`${tw}: activities must be a list of ${MIN_ACTIVITIES}-${MAX_ACTIVITIES} texts`);
        } else {
          if (t.activities.length < MIN_ACTIVITIES || t.activities.length > MAX_ACTIVITIES) {
            problems.push(`${tw}: has ${t.activities.length} activities, needs ${MIN_ACTIVITIES}-${MAX_ACTIVITIES}`);
          }
          t.activities.forEach((a: unknown, ai: number) => {
            if (!isText(a)) problems.push(`${tw}: activity ${ai + 1} is empty`);
            else if (a.length > MAX_ACTIVITY_CHARS) problems.push(`${tw}: activity ${ai + 1} is longer than ${MAX_ACTIVITY_CHARS} characters`);
          });
        }
        const d = t.durationMinutes;
        if (typeof d !== 'number' || !Number.isInteger(d) || d < MIN_DURATION_MINUTES || d > MAX_DURATION_MINUTES) {
          problems.push(`${tw}: durationMinutes must be a whole number from ${MIN_DURATION_MINUTES} to ${MAX_DURATION_MINUTES}, found ${JSON.stringify(d)}`);
        }
      });
    });
    for (const level of LEVELS) {
      if (!seenLevels.has(level)) problems.push(`[${locale}] level ${level} is missing`);
    }
  }

  // Every language has the same tutorials, at the same level, with the same duration and number of activities.
  const allIds = new Set<string>();
  for (const ids of placed.values()) for (const id of ids.keys()) allIds.add(id);
  for (const id of allIds) {
    const present = LOCALES.filter((l) => placed.get(l)?.has(id));
    for (const locale of LOCALES) {
      if (!present.includes(locale)) problems.push(`[${locale}] tutorial "${id}" is missing (it exists in ${present.join(', ')})`);
    }
    const ref = placed.get(present[0])!.get(id)!;
    for (const locale of present.slice(1)) {
      const other = placed.get(locale)!.get(id)!;
      if (other.level !== ref.level) {
        problems.push(`[${locale}] tutorial "${id}" is at level ${String(other.level)} but at level ${String(ref.level)} in ${present[0]}`);
      }
      if (other.duration !== ref.duration) {
        problems.push(`[${locale}] tutorial "${id}" lasts ${String(other.duration)} minutes but ${String(ref.duration)} in ${present[0]}`);
      }
      if (other.activities !== ref.activities && other.activities >= 0 && ref.activities >= 0) {
        problems.push(`[${locale}] tutorial "${id}" has ${other.activities} activities but ${ref.activities} in ${present[0]}`);
      }
    }
  }
  return problems;
}

interface Loaded {
  catalogues: Record<Locale, Catalogue>;
  /** A hash of every language's content: changes exactly when any of it changes. */
  version: string;
  /** The ladder's shape (the same in every language): each level's tutorial ids, in order. */
  shape: Array<{ level: Level; ids: string[] }>;
}

let cache: Loaded | undefined;
let catalogueDir: string | undefined;

function load(): Loaded {
  if (!cache) {
    const loaded = loadCatalogues(catalogueDir);
    const problems = validateCatalogues(loaded);
    if (problems.length > 0) {
      throw new Error(`The tutorial catalogue is invalid (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    }
    for (const cat of Object.values(loaded)) cat.levels.sort((a, b) => a.level - b.level);
    const version = createHash('sha256').update(JSON.stringify(LOCALES.map((l) => [l, loaded[l]]))).digest('hex').slice(0, 16);
    const shape = loaded.en.levels.map((lv) => ({ level: lv.level, ids: lv.tutorials.map((t) => t.id) }));
    cache = { catalogues: loaded, version, shape };
  }
  return cache;
}

/** The validated catalogue for a locale; loads and validates all languages once. Throws listing every problem. */
export function getCatalogue(locale: Locale): Catalogue {
  const cat = load().catalogues[locale];
  if (!cat) throw new Error(`No tutorial catalogue for locale "${String(locale)}"`);
  return cat;
}

/** The loaded catalogue's version: a content hash of all its languages (16 hex digits). */
export function catalogueVersion(): string {
  return load().version;
}

/** Forget the loaded catalogues, so the next getCatalogue reads the files again (after an edit). */
export function clearCatalogueCache(): void {
  cache = undefined;
}

/** Read the catalogues from another folder (an edited copy; tests); undefined restores the shipped one. */
export function useCatalogueDir(dir: string | undefined): void {
  catalogueDir = dir;
  cache = undefined;
}

export function findTutorial(id: string, locale: Locale): Tutorial | undefined {
  for (const lv of getCatalogue(locale).levels) {
    const t = lv.tutorials.find((x) => x.id === id);
    if (t) return t;
  }
  return undefined;
}

/** All tutorial ids in ladder order (level, then catalogue order), optionally only of some levels. */
export function tutorialIds(levels?: Level[]): string[] {
  const wanted = levels ? new Set<Level>(levels) : undefined;
  return load()
    .shape.filter((lv) => !wanted || wanted.has(lv.level))
    .flatMap((lv) => lv.ids);
}

const percentOf = (done: number, total: number): number => (total === 0 ? 0 : Math.round((done / total) * 100));

function statusOf(progress: ProgressInput, id: string): TutorialStatus {
  const s = progress instanceof Map ? progress.get(id) : Object.prototype.hasOwnProperty.call(progress, id) ? progress[id] : undefined;
  return s === 'done' || s === 'in-progress' ? s : 'not-started';
}

const sortedUnique = (levels: readonly Level[]): Level[] => [...new Set(levels)].sort((a, b) => a - b);

/**
 * A person's ladder over the levels in scope (default: all five), in figures and ids only.
 * `next` is the first unfinished tutorial, an in-progress one before a not-started one, in the
 * lowest wanted level in scope that is not complete; failing that, in the lowest level in scope
 * that is not complete.
 */
export function ladderStatus(progress: ProgressInput, levelsInScope: Level[] = [...LEVELS], wantLevels: Level[] = []): LadderStatus {
  const scope = new Set(levelsInScope);
  const want = new Set(wantLevels);
  const statuses: LadderStatus['statuses'] = { done: [], inProgress: [] };
  const levels: LevelStatus[] = [];
  const byLevel: Array<{ status: LevelStatus; ids: string[]; of: TutorialStatus[] }> = [];
  for (const { level, ids } of load().shape) {
    if (!scope.has(level)) continue;
    const of = ids.map((id) => statusOf(progress, id));
    let done = 0;
    of.forEach((s, i) => {
      if (s === 'done') {
        done++;
        statuses.done.push(ids[i]);
      } else if (s === 'in-progress') statuses.inProgress.push(ids[i]);
    });
    const total = ids.length;
    const status: LevelStatus = { level, done, total, percent: percentOf(done, total), complete: done === total, wanted: want.has(level) };
    levels.push(status);
    byLevel.push({ status, ids, of });
  }
  const done = levels.reduce((n, l) => n + l.done, 0);
  const total = levels.reduce((n, l) => n + l.total, 0);
  const target = byLevel.find((l) => l.status.wanted && !l.status.complete) ?? byLevel.find((l) => !l.status.complete);
  const at = target ? (target.of.indexOf('in-progress') >= 0 ? target.of.indexOf('in-progress') : target.of.findIndex((s) => s !== 'done')) : -1;
  return { levels, done, total, percent: percentOf(done, total), statuses, next: target && at >= 0 ? target.ids[at] : undefined };
}

/** A person's ladder with the catalogue's words in `locale` (cards; the tab joins in the browser). */
export function ladderView(progress: ProgressInput, locale: Locale, levelsInScope: Level[] = [...LEVELS], wantLevels: Level[] = []): LadderView {
  return joinLadder(getCatalogue(locale), ladderStatus(progress, levelsInScope, wantLevels));
}

/**
 * The tutorial to start with: the first of the lowest level that is both in scope and wanted,
 * else the first of the lowest level in scope. Undefined only when the scope is empty.
 */
export function suggestFirstTutorial(levelsInScope: Level[], wantLevels: Level[], locale: Locale): Tutorial | undefined {
  const scope = sortedUnique(levelsInScope);
  const level = scope.find((l) => wantLevels.includes(l)) ?? scope[0];
  if (level === undefined) return undefined;
  return getCatalogue(locale).levels.find((lv) => lv.level === level)?.tutorials[0];
}
