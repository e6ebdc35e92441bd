// The tutorial catalogue in the tab, and the one place that joins it with a person's ladder.
// Ladder answers carry statuses and figures only, and name the catalogue version they were
// computed against; the catalogue itself (titles, descriptions, activities, level names) comes
// from GET /api/catalogue/<version>/<language>, which the browser keeps for a year: asked once
// per version and language, then a cache hit, whichever view or person comes next.
import { ApiFailure, getJson } from './api';
import { language } from './i18n';
import type { CatalogueAnswer, CatalogueVersionUnknown, HistoryEntry, Ladder, LadderStatus, Level } from './types';
import { joinLadder, levelTitle, tutorialTitle } from '../../bot/domain/ladderJoin';

/** A catalogue in the page's language, with what the views ask of it. */
export interface Words {
  /** The person's statuses with the catalogue's words: what ladderParts renders. */
  ladder(status: LadderStatus): Ladder;
  levelTitle(level: Level): string;
  /** A check-in's tutorials, by title. */
  covered(entry: HistoryEntry): string[];
}

const asked = new Map<string, Promise<CatalogueAnswer>>();

function fetchCatalogue(version: string): Promise<CatalogueAnswer> {
  const path = `/api/catalogue/${encodeURIComponent(version)}/${language()}`;
  let p = asked.get(path);
  if (!p) {
    p = getJson<CatalogueAnswer>(path, { localised: false });
    asked.set(path, p);
    p.catch(() => asked.get(path) === p && asked.delete(path));
  }
  return p;
}

/**
 * The catalogue of `version` (a ladder answer's, or the config's to start early). A server that
 * does not have that version (another one during a deploy) names its own, which is used instead:
 * statuses are by tutorial id, so they join with it all the same.
 */
export async function catalogue(version: string): Promise<Words> {
  let answer: CatalogueAnswer;
  try {
    answer = await fetchCatalogue(version);
  } catch (e) {
    const current = e instanceof ApiFailure && e.code === 'catalogue-version-unknown' ? (e.body as Partial<CatalogueVersionUnknown>).current : undefined;
    if (!current || current === version) throw e;
    answer = await fetchCatalogue(current);
  }
  return {
    ladder: (status) => joinLadder(answer, status),
    levelTitle: (level) => levelTitle(answer, level),
    covered: (entry) => entry.tutorials.map((id) => tutorialTitle(answer, id)),
  };
}

/** Starts fetching a catalogue the page will need, before any ladder answer names it. */
export function prefetchCatalogue(version: string | undefined): void {
  if (version) fetchCatalogue(version).catch(() => undefined);
}
