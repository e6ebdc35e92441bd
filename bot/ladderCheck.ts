// Checks an edited tutorial catalogue (and the business items beside it) before it goes live (README: "Editing the ladder"):
//   npm run ladder:check -- <folder>        (node dist/bot/ladderCheck.js <folder> once built)
// Prints every problem, one per line, and exits 1; or a one-line summary and exits 0. With no
// folder it checks the shipped catalogue.
import * as path from 'path';
import { hasBusinessItems, loadBusinessItems, validateBusinessItems } from './domain/business';
import { loadCatalogues, validateCatalogues } from './domain/ladder';
import { LOCALES } from './domain/types';

function check(dir: string | undefined): { ok: boolean; text: string } {
  const where = dir ? `The catalogue in ${dir}` : 'The shipped catalogue';
  let catalogues;
  try {
    catalogues = loadCatalogues(dir);
  } catch (err) {
    return { ok: false, text: `${where} cannot be read: ${(err as Error).message}` };
  }
  const problems = validateCatalogues(catalogues);
  // The business items live beside it; a folder without them uses the shipped ones.
  const ownItems = !dir || hasBusinessItems(dir);
  let items = 0;
  if (ownItems) {
    try {
      const business = loadBusinessItems(dir);
      problems.push(...validateBusinessItems(business));
      items = Array.isArray(business.en) ? business.en.length : 0;
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length) return { ok: false, text: `${where} has ${problems.length} problem(s):\n- ${problems.join('\n- ')}` };
  const levels = catalogues.en.levels;
  const tutorials = levels.reduce((n, lv) => n + lv.tutorials.length, 0);
  const business = ownItems ? `${items} business items` : 'the shipped business items';
  return { ok: true, text: `${where} is valid: ${levels.length} levels, ${tutorials} tutorials, ${business}, in ${LOCALES.join(', ')}.` };
}

const arg = process.argv[2];
const result = check(arg ? path.resolve(arg) : undefined);
(result.ok ? console.log : console.error)(result.text);
process.exit(result.ok ? 0 : 1);
