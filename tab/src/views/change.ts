// "My change" on the personal tab: the signed-in person's own start and end per level (mentees) or
// business item (mentors), with the sessions held and tutorials covered. Only ever their own: the
// API takes no one's id.
import { getJson } from '../api';
import { h, svg } from '../dom';
import { Key, t } from '../i18n';
import type { ChangeRow, MyProgress } from '../types';
import { failure, section } from '../ui';
import { numbers } from './charts';

const SCALE: Record<MyProgress['measures'], Key[]> = {
  levels: ['scale.skill0', 'scale.skill1', 'scale.skill2', 'scale.skill3'],
  business: ['scale.business0', 'scale.business1', 'scale.business2', 'scale.business3'],
};

export async function myChange(programmeId: string): Promise<HTMLElement> {
  try {
    return change(await getJson<MyProgress>(`/api/me/progress?programme=${encodeURIComponent(programmeId)}`));
  } catch (e) {
    return section(t('change.title'), 2, failure(e));
  }
}

/** Where each row started (hollow dot) and ended (filled dot) on the 0-3 scale. */
function dumbbells(p: MyProgress, label: (v: number | undefined) => string): HTMLElement {
  const W = 480, rowH = 24, labelW = 170, H = p.rows.length * rowH + 20;
  const x = (v: number) => labelW + 12 + ((W - labelW - 24) * v) / 3;
  const parts: SVGElement[] = [];
  [0, 1, 2, 3].forEach((v) => {
    parts.push(svg('line', { x1: x(v), x2: x(v), y1: 0, y2: H - 18, class: 'grid-line' }));
    parts.push(svg('text', { x: x(v), y: H - 4, 'text-anchor': 'middle', class: 'axis-label' }, String(v)));
  });
  p.rows.forEach((r, i) => {
    const y = i * rowH + rowH / 2;
    parts.push(svg('text', { x: labelW - 4, y: y + 4, 'text-anchor': 'end', class: 'axis-label' }, r.title.length > 26 ? `${r.title.slice(0, 25)}…` : r.title));
    if (r.before !== undefined && r.after !== undefined) parts.push(svg('line', { x1: x(r.before), x2: x(r.after), y1: y, y2: y, class: 'change-line' }));
    if (r.before !== undefined) parts.push(svg('circle', { cx: x(r.before), cy: y, r: 6, class: 'dot-before' }));
    if (r.after !== undefined) parts.push(svg('circle', { cx: x(r.after), cy: y, r: 6, class: 'dot-after' }));
  });
  const described = p.rows.map((r) => t('change.rowValue', { item: r.title, before: label(r.before), after: label(r.after) })).join('; ');
  return h('div', { class: 'chart' }, svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${t('change.chart')}: ${described}`, class: 'report-chart' }, ...parts),
    h('ul', { class: 'legend', 'aria-hidden': 'true' },
      h('li', null, h('span', { class: 'swatch swatch-before' }), t('change.start')),
      h('li', null, h('span', { class: 'swatch swatch-after' }), t('change.end'))));
}

function change(p: MyProgress): HTMLElement {
  const scale = SCALE[p.measures].map((k) => t(k));
  const label = (v: number | undefined) => (v === undefined ? '–' : scale[v]);
  const delta = (r: ChangeRow) => (r.change === undefined ? '–' : r.change > 0 ? `+${r.change}` : String(r.change));
  const note =
    p.start === 'profile' ? t('change.startProfile')
      : p.start === 'missing' ? t(p.canRateStart ? 'change.startMissing' : 'change.startNone')
        : p.survey === 'answered' ? '' : t('change.afterLater');
  const showMid = p.rows.some((r) => r.mid !== undefined);
  return section(
    t('change.title'), 2,
    h('p', { class: 'muted' }, t(p.measures === 'levels' ? 'change.explainLevels' : 'change.explainBusiness')),
    h('div', { class: 'stats' },
      h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, String(p.sessionsHeld)), h('span', { class: 'stat-label' }, t('change.sessions', { count: p.sessionsHeld }))),
      h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, String(p.tutorialsCovered.length)), h('span', { class: 'stat-label' }, t('change.tutorials', { count: p.tutorialsCovered.length }))),
      h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, String(p.checkinsAnswered)), h('span', { class: 'stat-label' }, t('change.checkins', { count: p.checkinsAnswered })))),
    note ? h('p', { class: 'muted' }, note) : null,
    h('div', { 'data-ready': 'change' },
      dumbbells(p, label),
      numbers(t('change.title'), [t(p.measures === 'levels' ? 'change.level' : 'change.item'), t('change.start'), ...(showMid ? [t('change.mid')] : []), t('change.end'), t('change.delta')],
        p.rows.map((r) => [r.title, label(r.before), ...(showMid ? [label(r.mid)] : []), label(r.after), delta(r)]))),
    p.tutorialsCovered.length ? h('p', null, t('change.coveredList', { list: p.tutorialsCovered.map((x) => x.title).join(', ') })) : null,
  );
}
