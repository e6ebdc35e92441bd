// The admin view: pairs and their health, response rate per round, unreachable people, export, and
// the outcome report (views/report.ts), which is also what the page prints.
import { download, getJson } from '../api';
import { h, replace, svg } from '../dom';
import { fmtDate, Key, t } from '../i18n';
import type { Dashboard, Me, PairRow, ProgrammeListItem } from '../types';
import { announce, badge, BadgeColor, button, emptyState, failure, messageBar, section, select, spinner, table } from '../ui';
import type { Session } from '../session';
import { statusBadge } from './channel';
import { renderReport } from './report';

const HEALTH: Record<PairRow['health'], { key: Key; color: BadgeColor }> = {
  'at-risk': { key: 'health.atRisk', color: 'danger' },
  'no-checkins': { key: 'health.noCheckins', color: 'warning' },
  paused: { key: 'health.paused', color: 'subtle' },
  ok: { key: 'health.ok', color: 'success' },
  proposed: { key: 'health.proposed', color: 'informative' },
  ended: { key: 'health.ended', color: 'subtle' },
};

export async function renderAdmin(root: HTMLElement, s: Session, me: Me): Promise<void> {
  const title = h('h1', { tabindex: '-1' }, t('admin.title'));
  if (!me.isAdmin) {
    replace(root, title, messageBar('warning', t('error.forbiddenTitle'), t('error.notAdmin')));
    return;
  }
  replace(root, title, spinner(t('common.loading')));
  let programmes: ProgrammeListItem[];
  try {
    programmes = (await getJson<{ programmes: ProgrammeListItem[] }>('/api/programmes')).programmes;
  } catch (e) {
    replace(root, title, failure(e));
    return;
  }
  if (!programmes.length) {
    replace(root, title, emptyState(t('admin.noProgrammesTitle'), t('admin.noProgrammes')));
    return;
  }
  const rank: Record<string, number> = { running: 0, closing: 1, matching: 2, open: 3, draft: 4, closed: 5 };
  const wanted = s.params.get('programme');
  const current = programmes.find((p) => p.id === wanted) ?? [...programmes].sort((a, b) => (rank[a.status] ?? 9) - (rank[b.status] ?? 9))[0];
  const body = h('div', { class: 'stack' }, spinner(t('common.loading')));
  const picker = select(t('common.programme'), programmes.map((p) => ({ value: p.id, text: p.name })), current.id, (v) => {
    const p = new URLSearchParams(location.search);
    p.set('programme', v);
    window.history.replaceState(null, '', `${location.pathname}?${p.toString()}`);
    s.params.set('programme', v);
    void renderAdmin(root, s, me);
  });
  replace(root, h('div', { class: 'page-head' }, title, h('div', { class: 'no-print' }, picker)), body);
  try {
    const d = await getJson<Dashboard>(`/api/programmes/${encodeURIComponent(current.id)}/dashboard`);
    // What the programme changed: aggregates only, loaded beside the dashboard; it is what prints.
    const outcome = h('div', { class: 'stack report' }, spinner(t('common.loading')));
    replace(body, ...dashboard(d), outcome);
    void renderReport(outcome, current.id);
  } catch (e) {
    replace(body, failure(e));
  }
}

function dashboard(d: Dashboard): HTMLElement[] {
  const exportButton = button(t('admin.export'), async () => {
    exportButton.setAttribute('disabled', '');
    try {
      await download(`/api/programmes/${encodeURIComponent(d.programme.id)}/export.csv`, `reverse-mentor-${d.programme.id}.csv`);
      announce(t('admin.exported'));
    } catch (e) {
      exportButton.after(failure(e));
    } finally {
      exportButton.removeAttribute('disabled');
    }
  }, { appearance: 'primary', attrs: { 'data-action': 'export' } });
  const rate = d.totals.responseRate;
  const summary = h('div', { class: 'stats' },
    stat(String(d.totals.pairs), t('admin.pairs', { count: d.totals.pairs })),
    stat(String(d.totals.atRisk), t('admin.atRisk')),
    stat(rate === null ? '–' : `${rate}%`, t('admin.responseRate')));
  return [
    h('div', { class: 'grid', 'data-ready': 'admin' },
      section(d.programme.name, 2, h('p', null, statusBadge(d.programme.status), ' ', h('span', { class: 'muted' }, fmtDate(d.programme.startDate), ' – ', fmtDate(d.programme.endDate))), summary, h('div', { class: 'actions no-print' }, exportButton)),
      section(t('admin.rateChart'), 2, chart(d)),
    ),
    // Names stay on the screen: the printed report is aggregates only.
    h('div', { class: 'no-print stack' }, pairs(d), unreachable(d)),
  ];
}

const stat = (value: string, label: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));

/** Response rate per round: an SVG bar chart, described for screen readers, with the table under it. */
function chart(d: Dashboard): HTMLElement {
  if (!d.rounds.length) return h('p', { class: 'muted' }, t('admin.noRounds'));
  const W = 320, H = 160, pad = { l: 38, r: 8, t: 10, b: 24 };
  const bw = (W - pad.l - pad.r) / d.rounds.length;
  const y = (pct: number) => pad.t + (H - pad.t - pad.b) * (1 - pct / 100);
  const parts: SVGElement[] = [];
  for (const g of [0, 50, 100]) {
    parts.push(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(g), y2: y(g), class: 'grid-line' }));
    parts.push(svg('text', { x: pad.l - 6, y: y(g) + 4, 'text-anchor': 'end', class: 'axis-label' }, `${g}%`));
  }
  d.rounds.forEach((r, i) => {
    const v = r.rate ?? 0;
    const x = pad.l + i * bw + bw * 0.15;
    parts.push(svg('rect', { x, y: y(v), width: bw * 0.7, height: y(0) - y(v), class: 'bar' }, svg('title', {}, t('admin.roundRate', { n: r.round, rate: r.rate ?? 0, answered: r.answered, expected: r.expected }))));
    if (d.rounds.length <= 16) parts.push(svg('text', { x: x + bw * 0.35, y: H - 8, 'text-anchor': 'middle', class: 'axis-label' }, String(r.round)));
  });
  const summary = d.rounds.map((r) => t('admin.roundRate', { n: r.round, rate: r.rate ?? 0, answered: r.answered, expected: r.expected })).join('; ');
  return h('div', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${t('admin.rateChart')}: ${summary}`, class: 'rate-chart' }, ...parts),
    h('details', null, h('summary', null, t('admin.showTable')),
      table(t('admin.rateChart'), [t('admin.round'), t('admin.opened'), t('admin.answered'), t('admin.rate')],
        d.rounds.map((r) => [String(r.round), fmtDate(r.openedAt), `${r.answered} / ${r.expected}`, r.rate === null ? '–' : `${r.rate}%`]), { captionHidden: true })));
}

function pairs(d: Dashboard): HTMLElement {
  if (!d.pairs.length) return section(t('admin.pairsTitle'), 2, h('p', { class: 'muted' }, t('admin.noPairs')));
  const who = (p: { name: string; department?: string }) => h('span', null, p.name || t('common.unknownPerson'), p.department ? h('span', { class: 'muted' }, ` · ${p.department}`) : null);
  return section(
    t('admin.pairsTitle'),
    2,
    table(t('admin.pairsTitle'), [t('admin.mentee'), t('admin.mentor'), t('admin.health'), t('admin.lastCheckin'), t('admin.answered'), t('admin.ladder')],
      d.pairs.map((p) => [
        who(p.mentee), who(p.mentor),
        h('span', null, badge(t(HEALTH[p.health].key), HEALTH[p.health].color, p.health === 'at-risk' ? 'filled' : 'tint'),
          p.health === 'paused' ? h('span', { class: 'muted' }, ' ', p.pausedUntil ? t('admin.pausedUntil', { date: fmtDate(p.pausedUntil) }) : t('admin.pausedOpen')) : null),
        p.lastCheckin ? fmtDate(p.lastCheckin) : t('admin.never'),
        t('admin.answeredBoth', { mentor: p.answered.mentor, mentee: p.answered.mentee }),
        `${p.menteeLadder.percent}% (${p.menteeLadder.done}/${p.menteeLadder.total})`,
      ]), { captionHidden: true, stacked: true }),
  );
}

function unreachable(d: Dashboard): HTMLElement {
  return section(
    t('admin.unreachableTitle'),
    2,
    d.unreachable.length
      ? [h('p', { class: 'muted' }, t('admin.unreachableExplain')),
         h('ul', { class: 'unreachable' }, d.unreachable.map((u) => h('li', null, h('strong', null, u.name || t('common.unknownPerson')), ' · ', t(u.role === 'mentor' ? 'role.mentor' : 'role.mentee'), ' · ', t(u.reason === 'contact' ? 'admin.reasonContact' : 'admin.reasonDelivery'))))]
      : h('p', { class: 'muted' }, t('admin.noneUnreachable')),
  );
}
