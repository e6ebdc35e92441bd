// The channel tab: a programme's objectives and timeline, pairs, ladder completion, the
// aggregated knowledge map (no breakdown below the privacy threshold) and a Join button.
import { getJson } from '../api';
import { h, replace, svg } from '../dom';
import { fmtDate, fmtNumber, Key, t } from '../i18n';
import type { KnowledgeMap, ProgrammeOverview } from '../types';
import { badge, BadgeColor, emptyState, failure, section, spinner, table } from '../ui';
import type { Session } from '../session';
import { joinHelp } from './shared';

export const STATUS_KEYS: Record<string, Key> = {
  draft: 'programme.status.draft', open: 'programme.status.open', matching: 'programme.status.matching',
  running: 'programme.status.running', closing: 'programme.status.closing', closed: 'programme.status.closed',
};
const STATUS_COLOR: Record<string, BadgeColor> = { draft: 'subtle', open: 'brand', matching: 'informative', running: 'success', closing: 'warning', closed: 'subtle' };
export const statusBadge = (status: string) => badge(t(STATUS_KEYS[status] ?? 'programme.status.draft'), STATUS_COLOR[status] ?? 'subtle');

export async function renderChannel(root: HTMLElement, s: Session): Promise<void> {
  const id = s.params.get('programme');
  if (!id) {
    replace(root, h('h1', { tabindex: '-1' }, t('channel.title')), emptyState(t('channel.noProgrammeTitle'), t('channel.noProgramme')));
    return;
  }
  replace(root, spinner(t('common.loading')));
  try {
    const p = await getJson<ProgrammeOverview>(`/api/programmes/${encodeURIComponent(id)}`);
    // The knowledge map is for the programme's participants and admins; others see why not.
    const map = p.knowledgeMap ? await getJson<KnowledgeMap>(`/api/programmes/${encodeURIComponent(id)}/knowledge-map`) : undefined;
    replace(
      root,
      h('div', { class: 'page-head' }, h('h1', { tabindex: '-1' }, p.name), statusBadge(p.status)),
      h('div', { class: 'stack', 'data-ready': 'channel' },
        section(t('channel.objectives'), 2, h('p', { class: 'objectives' }, p.objectives), membership(p, s)),
        h('div', { class: 'grid' }, timeline(p), numbers(p)),
        distribution(p),
        knowledge(map),
      ),
    );
  } catch (e) {
    replace(root, h('h1', { tabindex: '-1' }, t('channel.title')), failure(e));
  }
}

function membership(p: ProgrammeOverview, s: Session): HTMLElement {
  if (p.myRole) {
    return h('p', { class: 'member' }, badge(t(p.myRole === 'mentor' ? 'role.mentor' : 'role.mentee'), 'brand', 'filled'), ' ', t('channel.youAreIn'));
  }
  if (p.status === 'open' && p.enrolment === 'open') return joinHelp(s);
  return h('p', { class: 'muted' }, t(p.enrolment === 'nominated' ? 'channel.nominated' : 'channel.closedForJoining'));
}

function timeline(p: ProgrammeOverview): HTMLElement {
  const start = Date.parse(`${p.startDate}T00:00:00Z`);
  const end = Date.parse(`${p.endDate}T23:59:59Z`);
  const now = Date.now();
  const totalWeeks = Math.max(1, Math.ceil((end - start) / (7 * 86400_000)));
  const week = Math.min(totalWeeks, Math.max(0, Math.ceil((now - start) / (7 * 86400_000))));
  const state = now < start ? t('channel.startsOn', { date: fmtDate(p.startDate) }) : now > end ? t('channel.ended') : t('channel.week', { week, total: totalWeeks });
  return section(
    t('channel.timeline'),
    2,
    h('p', null, fmtDate(p.startDate), ' – ', fmtDate(p.endDate)),
    h('fluent-progress-bar', { role: 'progressbar', value: week, max: totalWeeks, 'aria-label': t('channel.timeline'), 'aria-valuetext': state, thickness: 'large', shape: 'rounded' }),
    h('p', { class: 'muted' }, state, ' · ', t(p.cadenceWeeks === 1 ? 'channel.cadenceWeekly' : 'channel.cadence', { n: p.cadenceWeeks })),
  );
}

function numbers(p: ProgrammeOverview): HTMLElement {
  const stat = (value: number, label: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, fmtNumber(value)), h('span', { class: 'stat-label' }, label));
  return section(t('channel.numbers'), 2, h('div', { class: 'stats' }, stat(p.pairs, t('channel.pairs', { count: p.pairs })), stat(p.mentors, t('channel.mentors', { count: p.mentors })), stat(p.mentees, t('channel.mentees', { count: p.mentees })), stat(p.rounds, t('channel.rounds', { count: p.rounds }))));
}

/** Per level: mentees complete / started / not started, as a stacked bar with the numbers in text. */
function distribution(p: ProgrammeOverview): HTMLElement {
  const d = p.distribution;
  if (d.hidden) return section(t('channel.distribution'), 2, h('p', { class: 'muted' }, t('channel.distributionHidden', { n: d.threshold })));
  const legend = h('ul', { class: 'legend', 'aria-hidden': 'true' },
    h('li', null, h('span', { class: 'swatch seg-complete' }), t('channel.complete')),
    h('li', null, h('span', { class: 'swatch seg-started' }), t('channel.started')),
    h('li', null, h('span', { class: 'swatch seg-none' }), t('channel.notStarted')));
  const rows = d.levels.map((l) => {
    const total = l.complete + l.started + l.notStarted || 1;
    const label = t('channel.levelBar', { n: l.level, complete: l.complete, started: l.started, none: l.notStarted });
    let x = 0;
    const seg = (n: number, cls: string) => {
      const w = (n / total) * 100;
      const r = svg('rect', { x: `${x}%`, y: 0, width: `${w}%`, height: 16, class: cls });
      x += w;
      return r;
    };
    return h('li', { class: 'dist-row' },
      h('span', { class: 'dist-label' }, t('ladder.level', { n: l.level }), ': ', l.title),
      svg('svg', { class: 'dist-bar', role: 'img', 'aria-label': label, width: '100%', height: 16, preserveAspectRatio: 'none' }, seg(l.complete, 'seg-complete'), seg(l.started, 'seg-started'), seg(l.notStarted, 'seg-none')),
      h('span', { class: 'dist-numbers muted' }, `${l.complete} / ${l.started} / ${l.notStarted}`));
  });
  return section(
    t('channel.distribution'),
    2,
    h('p', { class: 'muted' }, t('channel.distributionExplain', { n: p.mentees })),
    legend,
    h('ul', { class: 'dist' }, rows),
    table(t('channel.overallCompletion'), [t('channel.ladderDone'), t('channel.menteeCount')], d.buckets.map((b) => [b.label, String(b.count)])),
  );
}

function knowledge(map: KnowledgeMap | undefined): HTMLElement {
  if (!map) return section(t('channel.knowledgeMap'), 2, h('p', { class: 'muted' }, t('channel.knowledgeForMembers')));
  if (!map.departments.length) return section(t('channel.knowledgeMap'), 2, h('p', { class: 'muted' }, t('channel.noKnowledge')));
  const title = (lvl: number) => map.levelTitles.find((x) => x.level === lvl)?.title ?? String(lvl);
  const rows = map.departments.map((dept) => [
    dept,
    ...map.levels.map((lvl) => {
      const c = map.cells.find((x) => x.department === dept && x.level === lvl)!;
      if (c.hidden || !c.counts) return h('span', { class: 'cell-hidden', title: t('channel.cellHidden', { n: map.threshold }) }, t('channel.fewer', { n: map.threshold }));
      const able = c.counts[2] + c.counts[3];
      const share = c.total ? able / c.total : 0;
      return h('span', { class: `heat heat-${Math.min(4, Math.floor(share * 5))}` }, t('channel.cell', { able, total: c.total, teach: c.counts[3] }));
    }),
  ]);
  const supply = map.supply.some((sp) => sp.hidden) ? h('p', { class: 'muted' }, t('channel.supplyHidden', { n: map.threshold })) : h('ul', { class: 'supply' }, map.supply.map((sp) =>
    h('li', null, h('strong', null, t('ladder.level', { n: sp.level })), ': ', t('channel.supply', { mentors: sp.mentorsAble, mentees: sp.menteesWanting }), sp.scarce ? [' ', badge(t('channel.scarce'), 'warning', 'filled')] : null)));
  return section(
    t('channel.knowledgeMap'),
    2,
    h('p', { class: 'muted' }, t('channel.knowledgeExplain', { n: map.people, threshold: map.threshold })),
    table(t('channel.knowledgeMap'), [t('channel.department'), ...map.levels.map((l) => `${t('ladder.level', { n: l })}: ${title(l)}`)], rows, { captionHidden: true, stacked: true }),
    h('h3', null, t('channel.supplyTitle')),
    supply,
  );
}
