// "Understanding of the business": the short set of items a mentor rates when they join and again
// at the end (0 not at all, 1 a little, 2 well, 3 could explain it to others). Data like the
// tutorial ladder: bot/ladder/business.<en|de|nl>.json, editable in a copy of the folder
// (LADDER_CATALOGUE_DIR); a copy made before the items existed uses the shipped ones.
// Pure domain logic: reads the files, validates them; no Bot Framework, HTTP or storage types.
import * as fs from 'fs';
import * as path from 'path';
import { BusinessItem, LOCALES, Locale } from './types';

export const MIN_BUSINESS_ITEMS = 3;
export const MAX_BUSINESS_ITEMS = 8;
export const MAX_ITEM_TITLE_CHARS = 60;
export const MAX_ITEM_TEXT_CHARS = 200;
export const BUSINESS_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const businessFile = (locale: Locale): string => `business.${locale}.json`;

function shippedDir(): string {
  const candidates = [path.join(__dirname, '..', 'ladder'), path.join(__dirname, '..', '..', '..', 'bot', 'ladder')];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, businessFile('en')))) return dir;
  throw new Error(`Business items not found; looked in: ${candidates.join(', ')}`);
}

/** Whether a folder has its own business items (any of the three files). */
export const hasBusinessItems = (dir: string): boolean => LOCALES.some((l) => fs.existsSync(path.join(dir, businessFile(l))));

/** Reads business.<locale>.json for every locale from `dir` (default: the shipped ones). Throws on a missing file or bad JSON; does not validate. */
export function loadBusinessItems(dir?: string): Record<Locale, BusinessItem[]> {
  const base = dir ?? shippedDir();
  const out = {} as Record<Locale, BusinessItem[]>;
  for (const locale of LOCALES) {
    const file = path.join(base, businessFile(locale));
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Cannot read business items ${file}: ${(e as Error).message}`);
    }
    const items = (parsed as { items?: unknown })?.items;
    out[locale] = Array.isArray(items) ? (items as BusinessItem[]) : (null as unknown as BusinessItem[]);
  }
  return out;
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.trim().length > 0;

/** Every problem with the items, one sentence each; empty means valid. The same ids, in the same order, in every language. */
export function validateBusinessItems(all: Record<Locale, BusinessItem[]>): string[] {
  const problems: string[] = [];
  const idsOf = new Map<Locale, string[]>();
  for (const locale of LOCALES) {
    const items = all[locale];
    if (!Array.isArray(items)) {
      problems.push(`[${locale}] business items: the file has no "items" list`);
      continue;
    }
    if (items.length < MIN_BUSINESS_ITEMS || items.length > MAX_BUSINESS_ITEMS) {
      problems.push(`[${locale}] business items: has ${items.length} items, needs ${MIN_BUSINESS_ITEMS}-${MAX_BUSINESS_ITEMS}`);
    }
    const ids: string[] = [];
    items.forEach((item, i) => {
      const it = (item ?? {}) as unknown as Record<string, unknown>;
      const where = `[${locale}] business item ${isText(it.id) ? `"${it.id}"` : `#${i + 1}`}`;
      if (!isText(it.id)) problems.push(`${where}: id is empty`);
      else {
        if (!BUSINESS_ID_PATTERN.test(it.id)) problems.push(`${where}: id must be lower case letters, digits and single hyphens`);
        if (ids.includes(it.id)) problems.push(`[${locale}] duplicate business item id "${it.id}"`);
        ids.push(it.id);
      }
      if (!isText(it.title)) problems.push(`${where}: title is empty`);
      else if (it.title.length > MAX_ITEM_TITLE_CHARS) problems.push(`${where}: title is longer than ${MAX_ITEM_TITLE_CHARS} characters`);
      if (!isText(it.description)) problems.push(`${where}: description is empty`);
      else if (it.description.length > MAX_ITEM_TEXT_CHARS) problems.push(`${where}: description is longer than ${MAX_ITEM_TEXT_CHARS} characters`);
    });
    idsOf.set(locale, ids);
  }
  const en = idsOf.get('en');
  for (const locale of LOCALES.filter((l) => l !== 'en')) {
    const other = idsOf.get(locale);
    if (en && other && en.join() !== other.join()) problems.push(`[${locale}] business items: the ids (${other.join(', ')}) differ from English (${en.join(', ')}): same ids, same order`);
  }
  return problems;
}

let cache: Record<Locale, BusinessItem[]> | undefined;
let dir: string | undefined;

/** The validated items in a language; loads and checks all three once. Throws listing every problem. */
export function businessItems(locale: Locale): BusinessItem[] {
  if (!cache) {
    const loaded = loadBusinessItems(dir);
    const problems = validateBusinessItems(loaded);
    if (problems.length) throw new Error(`The business items are invalid (${problems.length} problem(s)):\n- ${problems.join('\n- ')}`);
    cache = loaded;
  }
  return cache[locale] ?? cache.en;
}

/** The item ids, in order. */
export const businessIds = (): string[] => businessItems('en').map((i) => i.id);

/** Read the items from an edited folder (LADDER_CATALOGUE_DIR) if it has them, else the shipped ones. */
export function useBusinessDir(folder: string | undefined): void {
  dir = folder && hasBusinessItems(folder) ? folder : undefined;
  cache = undefined;
}
