// Strings for cards and messages in English, German and Dutch, picked from the Teams locale.
import * as fs from 'fs';
import * as path from 'path';
import { Locale, LOCALES } from '../domain/types';
import { formatMessage, placeholderNames } from './format';

export type Strings = { [key: string]: string | Strings };

function findDir(): string {
  // Works from the sources (ts-node, jest) and from dist/ after `tsc`.
  const candidates = [__dirname, path.join(__dirname, '..', '..', '..', 'bot', 'i18n')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'en.json')));
  if (!dir) throw new Error(`i18n files not found next to ${__dirname}`);
  return dir;
}

let cache: Record<Locale, Strings> | undefined;
export function allStrings(): Record<Locale, Strings> {
  if (!cache) {
    const dir = findDir();
    cache = Object.fromEntries(LOCALES.map((l) => [l, JSON.parse(fs.readFileSync(path.join(dir, `${l}.json`), 'utf8'))])) as Record<Locale, Strings>;
  }
  return cache;
}

/** 'de-DE', 'nl-BE', 'en-GB' ... to one of ours; anything else is English. */
export function localeOf(teamsLocale: string | undefined): Locale {
  const lang = (teamsLocale ?? '').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(lang) ? (lang as Locale) : 'en';
}

export function strings(locale: Locale): Strings {
  return allStrings()[locale];
}

function lookup(obj: Strings, keyPath: string): string | undefined {
  let cur: string | Strings | undefined = obj;
  for (const part of keyPath.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = cur[part];
  }
  return typeof cur === 'string' ? cur : undefined;
}

/** Translates `keyPath`, filling `{name}` placeholders and plurals (format.ts); falls back to English, then the key. */
export function t(locale: Locale, keyPath: string, params: Record<string, string | number> = {}): string {
  const raw = lookup(strings(locale), keyPath) ?? lookup(strings('en'), keyPath) ?? keyPath;
  return formatMessage(raw, params, locale);
}

/** Every key path of a strings tree, for completeness checks. */
export function keyPaths(obj: Strings, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keyPaths(v, `${prefix}${k}.`)));
}

/** Problems with the translations: keys missing or extra in a language, placeholders that differ. */
export function checkTranslations(all: Record<Locale, Strings> = allStrings()): string[] {
  const problems: string[] = [];
  const en = keyPaths(all.en);
  for (const l of LOCALES) {
    if (l === 'en') continue;
    const other = new Set(keyPaths(all[l]));
    for (const k of en) {
      if (!other.has(k)) problems.push(`${l}: missing ${k}`);
      else {
        if (placeholderNames(lookup(all.en, k)!).join() !== placeholderNames(lookup(all[l], k)!).join()) problems.push(`${l}: placeholders differ in ${k}`);
      }
    }
    for (const k of other) if (!en.includes(k)) problems.push(`${l}: extra key ${k}`);
  }
  return problems;
}
