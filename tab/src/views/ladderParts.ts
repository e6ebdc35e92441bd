// The ladder as people see it: levels with their tutorials, the next suggestion, the history.
import { postJson } from '../api';
import type { Words } from '../catalogue';
import { Child, h } from '../dom';
import { fmtDate, Key, t } from '../i18n';
import type { HistoryEntry, Ladder, Learned, Tutorial, TutorialStatus } from '../types';
import { announce, badge, BadgeColor, button, failure, progress, section } from '../ui';

export interface EditTarget {
  programmeId: string;
  /** Set when a mentor edits their mentee's ladder. */
  menteeId?: string;
  /** Re-fetch and re-render after a change. */
  refresh(): Promise<void>;
}

const STATUS: Record<TutorialStatus, { key: Key; color: BadgeColor }> = {
  'not-started': { key: 'status.notStarted', color: 'subtle' },
  'in-progress': { key: 'status.inProgress', color: 'informative' },
  done: { key: 'status.done', color: 'success' },
};

export const statusBadge = (s: TutorialStatus) => badge(t(STATUS[s].key), STATUS[s].color, s === 'done' ? 'filled' : 'tint');

async function change(edit: EditTarget, tu: Tutorial, status: TutorialStatus, host: HTMLElement): Promise<void> {
  host.querySelectorAll('fluent-button').forEach((b) => b.setAttribute('disabled', ''));
  try {
    await postJson('/api/progress', { programme: edit.programmeId, tutorialId: tu.id, status, ...(edit.menteeId ? { menteeId: edit.menteeId } : {}) });
    await edit.refresh();
    announce(t(status === 'done' ? 'ladder.markedDone' : status === 'in-progress' ? 'ladder.markedStarted' : 'ladder.markedReset', { title: tu.title }));
    // Keep keyboard focus where it was in the new rendering: the same tutorial, or the next suggestion.
    const again = host.matches('li.tutorial')
      ? document.querySelector<HTMLElement>(`li.tutorial[data-tutorial="${CSS.escape(tu.id)}"] fluent-button`)
      : document.querySelector<HTMLElement>('[data-next-card] fluent-button') ?? document.querySelector<HTMLElement>('[data-next-card] h2');
    again?.focus();
  } catch (e) {
    host.querySelectorAll('fluent-button').forEach((b) => b.removeAttribute('disabled'));
    host.appendChild(failure(e));
  }
}

function actions(tu: Tutorial, edit: EditTarget | undefined, host: HTMLElement): Child {
  if (!edit) return null;
  const go = (s: TutorialStatus) => () => void change(edit, tu, s, host);
  const named = (key: Key) => t(key, { title: tu.title });
  if (tu.status === 'done') {
    return button(t('ladder.reopen'), go('in-progress'), { appearance: 'subtle', size: 'small', ariaLabel: named('ladder.reopenNamed') });
  }
  return [
    button(t('ladder.markDone'), go('done'), { appearance: 'primary', size: 'small', ariaLabel: named('ladder.markDoneNamed'), attrs: { 'data-action': 'done' } }),
    tu.status === 'not-started' ? button(t('ladder.start'), go('in-progress'), { appearance: 'subtle', size: 'small', ariaLabel: named('ladder.startNamed') }) : null,
  ];
}

function activities(tu: Tutorial): HTMLElement {
  return h(
    'div',
    { class: 'activities' },
    h('p', null, h('strong', null, t('ladder.goal')), ' ', tu.goal),
    h('p', { class: 'activities-title' }, h('strong', null, t('ladder.activities'))),
    h('ul', null, tu.activities.map((a) => h('li', null, a))),
  );
}

function tutorialRow(tu: Tutorial, edit?: EditTarget): HTMLElement {
  const row = h('li', { class: 'tutorial', 'data-tutorial': tu.id, 'data-status': tu.status });
  row.append(
    h(
      'div',
      { class: 'tutorial-main' },
      h('div', { class: 'tutorial-head' }, h('h4', { class: 'tutorial-title' }, tu.title), statusBadge(tu.status)),
      h('p', { class: 'muted' }, tu.description, ' ', h('span', { class: 'duration' }, t('ladder.minutes', { n: tu.durationMinutes }))),
      h('details', null, h('summary', null, t('ladder.goalAndActivities')), activities(tu)),
    ),
    h('div', { class: 'tutorial-actions' }, actions(tu, edit, row)),
  );
  return row;
}

/** All levels in scope as an accordion; levels the person wants, or has started, open. */
export function ladderLevels(ladder: Ladder, edit?: EditTarget): HTMLElement {
  const acc = h('fluent-accordion', { 'expand-mode': 'multi', class: 'ladder', 'data-ready': 'ladder' });
  for (const lv of ladder.levels) {
    const open = (lv.wanted || lv.tutorials.some((x) => x.status !== 'not-started') || lv.level === ladder.next?.level) && !lv.complete;
    acc.append(
      h(
        'fluent-accordion-item',
        { 'heading-level': 3, expanded: open, 'data-level': lv.level, class: 'level' },
        h(
          'span',
          { slot: 'heading', class: 'level-heading' },
          h('span', { class: 'level-name' }, t('ladder.level', { n: lv.level }), ': ', lv.title),
          h('span', { class: 'level-count' }, ` (${t('progress.short', { done: lv.done, total: lv.total })})`),
          lv.complete ? [' ', badge(t('ladder.complete'), 'success', 'filled')] : lv.wanted ? [' ', badge(t('ladder.wanted'), 'brand')] : null,
        ),
        h('p', { class: 'muted level-focus' }, lv.focus),
        progress(lv.done, lv.total, t('ladder.levelProgress', { n: lv.level })),
        h('ul', { class: 'tutorials', 'aria-label': t('ladder.tutorialsOf', { n: lv.level }) }, lv.tutorials.map((tu) => tutorialRow(tu, edit))),
      ),
    );
  }
  return acc;
}

export function nextTutorial(ladder: Ladder, edit?: EditTarget): HTMLElement {
  const next = ladder.next;
  if (!next) {
    const done = section(t('ladder.next'), 2, h('p', null, t('ladder.allDone')));
    done.setAttribute('data-next-card', '');
    return done;
  }
  const card = section(
    t('ladder.next'),
    2,
    h('div', { class: 'next', 'data-tutorial': next.id, 'data-next': next.id },
      h('div', { class: 'tutorial-head' }, h('h3', null, next.title), statusBadge(next.status)),
      h('p', { class: 'muted' }, t('ladder.level', { n: next.level }), ' · ', t('ladder.minutes', { n: next.durationMinutes })),
      h('p', null, next.description),
      activities(next),
    ),
  );
  card.setAttribute('data-next-card', '');
  const acts = actions(next, edit, card);
  if (acts) card.append(h('div', { class: 'actions' }, acts));
  return card;
}

const MET: Record<string, Key> = { yes: 'history.met.yes', rescheduled: 'history.met.rescheduled', no: 'history.met.no' };

export function history(entries: HistoryEntry[], words: Words, title = t('history.title')): HTMLElement {
  if (!entries.length) return section(title, 2, h('p', { class: 'muted' }, t('history.none')));
  return section(
    title,
    2,
    h(
      'ol',
      { class: 'history', reversed: true },
      entries.map((e) =>
        h(
          'li',
          { class: 'history-item' },
          h('div', { class: 'history-head' },
            h('strong', null, t('history.round', { n: e.round })),
            e.answeredAt ? h('span', { class: 'muted' }, ' · ', fmtDate(e.answeredAt)) : null,
            e.met ? [' ', badge(t(MET[e.met]), e.met === 'yes' ? 'success' : e.met === 'no' ? 'danger' : 'warning')] : null,
            typeof e.rating === 'number' ? h('span', { class: 'rating' }, ' ', t('history.rating', { n: e.rating })) : null,
          ),
          e.tutorials.length ? h('p', null, t('history.covered'), ' ', words.covered(e).join(', ')) : null,
          e.learned ? h('p', null, t('history.learned'), ' ', h('q', null, e.learned)) : null,
          e.nextSession ? h('p', { class: 'muted' }, t('history.nextSession', { date: fmtDate(e.nextSession) })) : null,
        ),
      ),
    ),
  );
}

export function learnedList(items: Learned[], title: string, emptyText: string, level: 2 | 3 = 2): HTMLElement {
  return section(
    title,
    level,
    items.length
      ? h('ul', { class: 'learned' }, items.map((l) => h('li', null, h('q', null, l.text), ' ', h('span', { class: 'muted' }, t('history.round', { n: l.round })))))
      : h('p', { class: 'muted' }, emptyText),
  );
}
