// A company's large ladder: the shipped tutorials repeated under new ids up to `perLevel` per
// level, in every language, written as an edited catalogue folder (LADDER_CATALOGUE_DIR).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadCatalogues } from '../../bot/domain/ladder';
import type { Locale } from '../../bot/domain/types';

export function bigCatalogue(perLevel = 20): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-catalogue-'));
  const shipped = loadCatalogues();
  for (const [locale, cat] of Object.entries(shipped) as Array<[Locale, (typeof shipped)['en']]>) {
    const levels = cat.levels.map((lv) => ({
      level: lv.level,
      title: lv.title,
      focus: lv.focus,
      tutorials: Array.from({ length: perLevel }, (_, k) => {
        const t = lv.tutorials[k % lv.tutorials.length];
        const round = Math.floor(k / lv.tutorials.length);
        return { ...t, id: round ? `${t.id}-${round + 1}` : t.id, title: round ? `${t.title} ${round + 1}`.slice(0, 60) : t.title };
      }),
    }));
    fs.writeFileSync(path.join(dir, `catalogue.${locale}.json`), JSON.stringify({ levels }));
  }
  return dir;
}
