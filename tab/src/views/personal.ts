// The personal tab: a mentee's ladder, or a mentor's mentees and what they learned.
import { getJson } from '../api';
import { catalogue, Words } from '../catalogue';
import { h, replace } from '../dom';
import { fmtDate, t } from '../i18n';
import type { Me, MenteeLadder, MenteeSummary, PersonalLadder } from '../types';
import { badge, button, emptyState, failure, progress, section, select, spinner } from '../ui';
import type { Session } from '../session';
import { history, ladderLevels, learnedList, nextTutorial } from './ladderParts';
import { myChange } from './change';
import { nextSessionPanel } from './schedule';
import { chatLink, joinHelp } from './shared';

export async function renderPersonal(root: HTMLElement, s: Session, me: Me): Promise<void> {
  const memberships = me.memberships;
  if (!memberships.length) {
    replace(root, h('h1', { tabindex: '-1' }, t('ladder.title')), emptyState(t('ladder.noProgrammeTitle'), t('ladder.noProgramme'), joinHelp(s)));
    return;
  }
  const wanted = s.params.get('programme');
  const current = memberships.find((m) => m.programmeId === wanted) ?? memberships.find((m) => m.role === 'mentee') ?? memberships[0];
  const body = h('div', { class: 'stack' });
  replace(
    root,
    h('div', { class: 'page-head' },
      h('h1', { tabindex: '-1' }, current.role === 'mentor' ? t('mentor.title') : t('ladder.title')),
      memberships.length > 1
        ? select(t('common.programme'), memberships.map((m) => ({ value: m.programmeId, text: `${m.name} (${t(m.role === 'mentor' ? 'role.mentor' : 'role.mentee')})` })), current.programmeId, (v) => {
            const p = new URLSearchParams(location.search);
            p.set('programme', v);
            history_replace(p);
            void renderPersonal(root, s, me);
          })
        : h('p', { class: 'muted subtitle' }, current.name),
    ),
    body,
  );
  const load = async (): Promise<void> => {
    // The ladder and the person's own change (start -> end), side by side; the ladder's words from
    // the catalogue (the browser's cache after the first visit).
    const [data, change] = await Promise.all([getJson<PersonalLadder>(`/api/me/ladder?programme=${encodeURIComponent(current.programmeId)}`), myChange(current.programmeId)]);
    const words = await catalogue(data.catalogue);
    replace(body, ...(data.role === 'mentor' ? mentorParts(data, words, s) : menteeParts(data, words, s, load)), change);
  };
  replace(body, spinner(t('common.loading')));
  try {
    await load();
  } catch (e) {
    replace(body, failure(e));
  }
}

function history_replace(p: URLSearchParams): void {
  window.history.replaceState(null, '', `${location.pathname}?${p.toString()}`);
}

function menteeParts(d: PersonalLadder, words: Words, s: Session, refresh: () => Promise<void>): HTMLElement[] {
  const edit = { programmeId: d.programme.id, refresh };
  const ladder = words.ladder(d.ladder);
  const overview = h(
    'div',
    { class: 'grid' },
    section(t('ladder.overall'), 2, progress(d.ladder.done, d.ladder.total, t('ladder.overall'))),
    section(
      t('ladder.myMentor'),
      2,
      d.mentor
        ? [
            h('p', { class: 'person' }, h('strong', null, d.mentor.name || t('common.unknownPerson')), d.mentor.department ? h('span', { class: 'muted' }, d.mentor.department) : null),
            d.mentor.pairStatus === 'paused' ? badge(t('pair.paused'), 'warning') : null,
            chatLink(s, d.mentor.userId, t('ladder.chatWith', { name: d.mentor.name || t('common.unknownPerson') })),
          ]
        : h('p', { class: 'muted' }, t('ladder.noMentor')),
    ),
    section(t('ladder.nextSession'), 2, nextSessionPanel(s, d.programme.id, d.nextSession ? fmtDate(d.nextSession) : undefined)),
  );
  return [overview, nextTutorial(ladder, edit), section(t('ladder.levels'), 2, ladderLevels(ladder, edit)), history(d.history, words)];
}

function mentorParts(d: PersonalLadder, words: Words, s: Session): HTMLElement[] {
  const mentees = d.mentees.length
    ? d.mentees.map((m) => menteeCard(m, words, d.programme.id, s))
    : [emptyState(t('mentor.noMenteesTitle'), t('mentor.noMentees'))];
  return [
    h('div', { class: 'stack', 'data-ready': 'mentor' }, mentees),
    learnedList(d.learned, t('mentor.iLearned'), t('mentor.nothingLearned')),
    history(d.history, words),
  ];
}

function menteeCard(m: MenteeSummary, words: Words, programmeId: string, s: Session): HTMLElement {
  const name = m.name || t('common.unknownPerson');
  const full = h('div', { class: 'mentee-ladder' });
  const open = button(t('mentor.openLadder', { name }), () => void toggle(), { appearance: 'secondary', attrs: { 'aria-expanded': 'false' } });
  let shown = false;
  const load = async () => {
    const data = await getJson<MenteeLadder>(`/api/mentees/${encodeURIComponent(m.userId)}/ladder?programme=${encodeURIComponent(programmeId)}`);
    const edit = data.canEdit ? { programmeId, menteeId: m.userId, refresh: load } : undefined;
    const ladder = (await catalogue(data.catalogue)).ladder(data.ladder);
    replace(full, nextTutorial(ladder, edit), ladderLevels(ladder, edit));
  };
  const toggle = async () => {
    shown = !shown;
    open.setAttribute('aria-expanded', String(shown));
    open.textContent = shown ? t('mentor.closeLadder', { name }) : t('mentor.openLadder', { name });
    if (!shown) return replace(full);
    replace(full, spinner(t('common.loading')));
    try {
      await load();
    } catch (e) {
      replace(full, failure(e));
    }
  };
  return section(
    name,
    2,
    h('p', { class: 'muted' }, m.department ?? '', ' ', m.atRisk ? badge(t('pair.atRisk'), 'danger', 'filled') : null, m.pairStatus === 'paused' ? badge(t('pair.paused'), 'warning') : null),
    progress(m.done, m.total, t('mentor.menteeProgress', { name })),
    h('ul', { class: 'level-summary' }, m.levels.map((l) => h('li', null, h('span', null, t('ladder.level', { n: l.level }), ': ', words.levelTitle(l.level)), progress(l.done, l.total, t('ladder.levelProgressOf', { n: l.level, name }))))),
    learnedList(m.learned, t('mentor.theyLearned', { name }), t('mentor.nothingLearnedYet', { name }), 3),
    h('div', { class: 'mentee-session' }, h('h3', null, t('ladder.nextSession')), nextSessionPanel(s, programmeId, undefined, m.userId)),
    h('div', { class: 'actions' }, open, chatLink(s, m.userId, t('ladder.chatWith', { name }))),
    full,
  );
}

/** A mentee's ladder opened directly (a mentor's link); 403 for anyone else. */
export async function renderMenteePage(root: HTMLElement, s: Session): Promise<void> {
  const menteeId = s.params.get('mentee') ?? '';
  const programmeId = s.params.get('programme') ?? '';
  const body = h('div', { class: 'stack' }, spinner(t('common.loading')));
  const title = h('h1', { tabindex: '-1' }, t('mentee.title'));
  replace(root, title, body);
  const load = async () => {
    const d = await getJson<MenteeLadder>(`/api/mentees/${encodeURIComponent(menteeId)}/ladder?programme=${encodeURIComponent(programmeId)}`);
    const words = await catalogue(d.catalogue);
    const ladder = words.ladder(d.ladder);
    title.textContent = t('mentee.titleOf', { name: d.mentee.name || t('common.unknownPerson') });
    const edit = d.canEdit ? { programmeId, menteeId, refresh: load } : undefined;
    replace(body, section(t('ladder.overall'), 2, progress(ladder.done, ladder.total, t('ladder.overall'))), nextTutorial(ladder, edit), section(t('ladder.levels'), 2, ladderLevels(ladder, edit)), history(d.history, words));
  };
  try {
    await load();
  } catch (e) {
    replace(body, failure(e));
  }
}
