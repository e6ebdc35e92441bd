// UI strings in English, German and Dutch (tab/src/i18n/*.json; the build checks they match).
import { formatMessage } from '../../bot/i18n/format';
import en from './i18n/en.json';
import de from './i18n/de.json';
import nl from './i18n/nl.json';

export type Key = keyof typeof en;
export type Lang = 'en' | 'de' | 'nl';
const STRINGS: Record<Lang, Record<string, string>> = { en, de, nl };

let lang: Lang = 'en';
let bcp47 = 'en';

/** 'de-DE', 'nl-BE', 'en-GB' ... to one of ours; anything else is English. */
export function setLanguage(raw: string | null | undefined): Lang {
  const short = (raw ?? '').slice(0, 2).toLowerCase();
  lang = short === 'de' || short === 'nl' ? short : 'en';
  bcp47 = raw && raw.slice(0, 2).toLowerCase() === lang ? raw : lang;
  document.documentElement.lang = lang;
  return lang;
}

export const language = (): Lang => lang;

export function t(key: Key, vars: Record<string, string | number> = {}): string {
  return formatMessage(STRINGS[lang][key] ?? en[key] ?? key, vars, bcp47);
}

/** A date (YYYY-MM-DD or ISO date-time) in the user's language; anything else is shown as written. */
export function fmtDate(value: string | undefined, withTime = false): string {
  if (!value) return '';
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const d = new Date(dateOnly ? `${value}T12:00:00Z` : value);
  if (Number.isNaN(d.getTime())) return value;
  const opts: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', ...(withTime && !dateOnly ? { hour: '2-digit', minute: '2-digit' } : {}) };
  if (dateOnly) opts.timeZone = 'UTC';
  return new Intl.DateTimeFormat(bcp47, opts).format(d);
}

export const fmtNumber = (n: number): string => new Intl.NumberFormat(bcp47).format(n);
