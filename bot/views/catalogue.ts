// The tutorial catalogue as the tab gets it: every level and tutorial in one language, under the
// version (a content hash) of the catalogue loaded at startup. The same for everyone, so the API
// serialises each language once and the browser keeps it (bot/api/routes.ts).
import { catalogueVersion, getCatalogue } from '../domain/ladder';
import { LOCALES, Locale } from '../domain/types';
import type { CatalogueAnswer } from '../contract/tabApi';

export const isLocale = (s: string): s is Locale => (LOCALES as readonly string[]).includes(s);

/** The catalogue in `locale` if `version` is the one loaded; undefined for any other version. */
export function catalogueAnswer(version: string, locale: Locale): CatalogueAnswer | undefined {
  if (version !== catalogueVersion()) return undefined;
  return { version, locale, levels: getCatalogue(locale).levels };
}
