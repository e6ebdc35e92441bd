// A ladder's words and a person's statuses put together: the catalogue (the same for everyone,
// per language) joined with a LadderStatus (personal, in no language). Pure and without imports
// beyond types, so the server's cards and the tab (tab/src/catalogue.ts) join the same way.
import type { Catalogue, LadderStatus, LadderView, Level, TutorialStatus, TutorialView } from './types';

/**
 * The ladder as people see it. Levels and figures come from the status; a level or tutorial the
 * catalogue lacks (another catalogue version during a deploy) is left out rather than guessed.
 */
export function joinLadder(catalogue: Catalogue, status: LadderStatus): LadderView {
  const of = new Map<string, TutorialStatus>();
  for (const id of status.statuses.done) of.set(id, 'done');
  for (const id of status.statuses.inProgress) of.set(id, 'in-progress');
  let next: TutorialView | undefined;
  const levels = status.levels.flatMap((ls) => {
    const lv = catalogue.levels.find((l) => l.level === ls.level);
    if (!lv) return [];
    const tutorials = lv.tutorials.map((t): TutorialView => {
      const view = { ...t, activities: [...t.activities], status: of.get(t.id) ?? 'not-started' };
      if (t.id === status.next) next = view;
      return view;
    });
    return [{ ...ls, title: lv.title, focus: lv.focus, tutorials }];
  });
  return { levels, done: status.done, total: status.total, percent: status.percent, next };
}

/** A tutorial's title by id in any level; the id itself when the catalogue has no such tutorial. */
export function tutorialTitle(catalogue: Catalogue, id: string): string {
  for (const lv of catalogue.levels) {
    const t = lv.tutorials.find((x) => x.id === id);
    if (t) return t.title;
  }
  return id;
}

/** A level's title; its number when the catalogue has no such level. */
export function levelTitle(catalogue: Catalogue, level: Level): string {
  return catalogue.levels.find((l) => l.level === level)?.title ?? String(level);
}
