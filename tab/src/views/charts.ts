// Small SVG charts for the outcome report and "my change": each an image for screen readers
// (role=img, its numbers in the aria-label) with the same numbers in a table beside it, so
// nothing is told by colour alone. Colours come from the stylesheet (classes), also in print.
import { h, svg } from '../dom';
import { t } from '../i18n';
import { table } from '../ui';

/** The steps of a 0-3 scale (or any scale): one class each, light to dark. */
const stepClass = (i: number) => `step step-${i}`;

export function legend(labels: string[]): HTMLElement {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' }, labels.map((l, i) => h('li', null, h('span', { class: `swatch ${stepClass(i)}` }), l)));
}

/**
 * Stacked bars, one per row, each split into the counts of a scale's steps (e.g. a level's
 * distribution at the start and at the end). Each bar's total is the people behind it.
 */
export function stackedBars(title: string, rows: Array<{ label: string; counts: number[] }>, scale: string[]): HTMLElement {
  const W = 480, rowH = 22, gap = 10, labelW = 150, H = rows.length * (rowH + gap);
  const parts: SVGElement[] = [];
  const described: string[] = [];
  rows.forEach((r, i) => {
    const total = r.counts.reduce((a, b) => a + b, 0);
    const y = i * (rowH + gap);
    parts.push(svg('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'axis-label' }, r.label));
    let x = labelW;
    r.counts.forEach((n, s) => {
      const w = total ? ((W - labelW) * n) / total : 0;
      if (w > 0) {
        parts.push(svg('rect', { x, y, width: w, height: rowH, class: stepClass(s) }, svg('title', {}, `${scale[s]}: ${n}`)));
        if (w > 18) parts.push(svg('text', { x: x + w / 2, y: y + rowH / 2 + 4, 'text-anchor': 'middle', class: `bar-label on-step-${s}` }, String(n)));
      }
      x += w;
    });
    described.push(`${r.label}: ${r.counts.map((n, s) => `${scale[s]} ${n}`).join(', ')}`);
  });
  return h('div', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${described.join('; ')}`, class: 'report-chart stacked-chart' }, ...parts));
}

/** Horizontal bars: `value` is the bar's length in percent of the track, `shown` the text at its end (a percentage or a count). */
export function percentBars(title: string, rows: Array<{ label: string; value: number | null; shown?: string; text: string }>): HTMLElement {
  const W = 480, rowH = 20, gap = 8, labelW = 180, textW = 56, H = rows.length * (rowH + gap);
  const parts: SVGElement[] = [];
  rows.forEach((r, i) => {
    const y = i * (rowH + gap);
    const full = W - labelW - textW;
    parts.push(svg('text', { x: labelW - 8, y: y + rowH / 2 + 4, 'text-anchor': 'end', class: 'axis-label' }, r.label.length > 24 ? `${r.label.slice(0, 23)}…` : r.label));
    parts.push(svg('rect', { x: labelW, y, width: full, height: rowH, class: 'track' }));
    if (r.value !== null) parts.push(svg('rect', { x: labelW, y, width: (full * r.value) / 100, height: rowH, class: 'bar' }, svg('title', {}, r.text)));
    parts.push(svg('text', { x: W - textW + 6, y: y + rowH / 2 + 4, class: 'axis-label' }, r.shown ?? (r.value === null ? '–' : `${r.value}%`)));
  });
  return h('div', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${rows.map((r) => r.text).join('; ')}`, class: 'report-chart' }, ...parts));
}

/** Columns of counts (e.g. a 0-10 distribution), labelled under each column. */
export function columns(title: string, cols: Array<{ label: string; value: number }>, describe: (c: { label: string; value: number }) => string): HTMLElement {
  const W = 480, H = 150, pad = { l: 28, r: 6, t: 14, b: 22 };
  const max = Math.max(1, ...cols.map((c) => c.value));
  const bw = (W - pad.l - pad.r) / Math.max(1, cols.length);
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const parts: SVGElement[] = [svg('line', { x1: pad.l, x2: W - pad.r, y1: y(0), y2: y(0), class: 'grid-line' })];
  cols.forEach((c, i) => {
    const x = pad.l + i * bw + bw * 0.15;
    if (c.value) {
      parts.push(svg('rect', { x, y: y(c.value), width: bw * 0.7, height: y(0) - y(c.value), class: 'bar' }, svg('title', {}, describe(c))));
      parts.push(svg('text', { x: x + bw * 0.35, y: y(c.value) - 3, 'text-anchor': 'middle', class: 'axis-label' }, String(c.value)));
    }
    parts.push(svg('text', { x: x + bw * 0.35, y: H - 6, 'text-anchor': 'middle', class: 'axis-label' }, c.label));
  });
  return h('div', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${cols.map(describe).join('; ')}`, class: 'report-chart' }, ...parts));
}

/** Sessions held per round as columns, the response rate as a line over them (its own 0-100% axis on the right). */
export function roundsChart(title: string, rounds: Array<{ round: number; sessions: number; rate: number | null; describe: string }>): HTMLElement {
  const W = 480, H = 170, pad = { l: 30, r: 40, t: 12, b: 24 };
  const max = Math.max(1, ...rounds.map((r) => r.sessions));
  const bw = (W - pad.l - pad.r) / Math.max(1, rounds.length);
  const ys = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const yr = (pct: number) => pad.t + (H - pad.t - pad.b) * (1 - pct / 100);
  const parts: SVGElement[] = [];
  for (const g of [0, 50, 100]) {
    parts.push(svg('line', { x1: pad.l, x2: W - pad.r, y1: yr(g), y2: yr(g), class: 'grid-line' }));
    parts.push(svg('text', { x: W - pad.r + 4, y: yr(g) + 4, class: 'axis-label' }, `${g}%`));
  }
  parts.push(svg('text', { x: pad.l - 6, y: ys(max) + 4, 'text-anchor': 'end', class: 'axis-label' }, String(max)));
  parts.push(svg('text', { x: pad.l - 6, y: ys(0) + 4, 'text-anchor': 'end', class: 'axis-label' }, '0'));
  const points: string[] = [];
  rounds.forEach((r, i) => {
    const x = pad.l + i * bw + bw * 0.2;
    parts.push(svg('rect', { x, y: ys(r.sessions), width: bw * 0.6, height: ys(0) - ys(r.sessions), class: 'bar' }, svg('title', {}, r.describe)));
    if (rounds.length <= 20) parts.push(svg('text', { x: x + bw * 0.3, y: H - 8, 'text-anchor': 'middle', class: 'axis-label' }, String(r.round)));
    if (r.rate !== null) points.push(`${x + bw * 0.3},${yr(r.rate)}`);
  });
  if (points.length > 1) parts.push(svg('polyline', { points: points.join(' '), class: 'rate-line' }));
  for (const p of points) {
    const [cx, cy] = p.split(',');
    parts.push(svg('circle', { cx, cy, r: 3, class: 'rate-dot' }));
  }
  return h('div', { class: 'chart' },
    svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${rounds.map((r) => r.describe).join('; ')}`, class: 'report-chart' }, ...parts),
    h('ul', { class: 'legend', 'aria-hidden': 'true' },
      h('li', null, h('span', { class: 'swatch swatch-bar' }), t('report.sessionsLegend')),
      h('li', null, h('span', { class: 'swatch swatch-line' }), t('report.rateLegend'))));
}

/** Lines over moments (x) per series, 0-100%: e.g. the share confident per level, programme by programme. */
export function lines(title: string, moments: string[], series: Array<{ label: string; values: Array<number | null> }>, describe: string): HTMLElement {
  const W = 480, H = 190, pad = { l: 36, r: 70, t: 12, b: 28 };
  const step = moments.length > 1 ? (W - pad.l - pad.r) / (moments.length - 1) : 0;
  const x = (i: number) => pad.l + (moments.length > 1 ? i * step : (W - pad.l - pad.r) / 2);
  const y = (pct: number) => pad.t + (H - pad.t - pad.b) * (1 - pct / 100);
  const parts: SVGElement[] = [];
  for (const g of [0, 50, 100]) {
    parts.push(svg('line', { x1: pad.l, x2: W - pad.r, y1: y(g), y2: y(g), class: 'grid-line' }));
    parts.push(svg('text', { x: pad.l - 6, y: y(g) + 4, 'text-anchor': 'end', class: 'axis-label' }, `${g}%`));
  }
  moments.forEach((m, i) => parts.push(svg('text', { x: x(i), y: H - 8, 'text-anchor': 'middle', class: 'axis-label' }, m)));
  series.forEach((s, k) => {
    const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`)).filter((p): p is string => !!p);
    if (pts.length > 1) parts.push(svg('polyline', { points: pts.join(' '), class: `series series-${k}` }));
    for (const p of pts) {
      const [cx, cy] = p.split(',');
      parts.push(svg('circle', { cx, cy, r: 3, class: `series-dot series-${k}` }));
    }
    const last = s.values.map((v, i) => [v, i] as const).filter(([v]) => v !== null).pop();
    if (last) parts.push(svg('text', { x: x(last[1]) + 8, y: y(last[0]!) + 4, class: `axis-label series-label series-${k}` }, s.label));
  });
  return h('div', { class: 'chart' }, svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${title}: ${describe}`, class: 'report-chart' }, ...parts));
}

/** The numbers of a chart as a visible table (and for print). */
export const numbers = (caption: string, head: string[], rows: Array<Array<string | number>>) =>
  table(caption, head, rows.map((r) => r.map(String)), { captionHidden: true });
