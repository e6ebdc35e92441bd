// The admin's outcome report: what the programme changed, for both sides, before and after. Only
// aggregates from the server (each from the privacy threshold of people other than the viewer), as
// charts with their numbers in tables; prints to one clean report (tab/public/styles.css, @media print).
import { download, getJson } from '../api';
import { h } from '../dom';
import { fmtDate, Key, t } from '../i18n';
import type { ItemOutcome, KnowledgeMoment, OutcomeReport, SurveyOutcome } from '../types';
import { announce, button, failure, section } from '../ui';
import { columns, legend, lines, numbers, percentBars, roundsChart, stackedBars } from './charts';

const SKILL: Key[] = ['scale.skill0', 'scale.skill1', 'scale.skill2', 'scale.skill3'];
const BUSINESS: Key[] = ['scale.business0', 'scale.business1', 'scale.business2', 'scale.business3'];

export async function renderReport(root: HTMLElement, programmeId: string): Promise<void> {
  try {
    const r = await getJson<OutcomeReport>(`/api/programmes/${encodeURIComponent(programmeId)}/outcome`);
    root.replaceChildren(...report(r));
    root.setAttribute('data-ready', 'report');
  } catch (e) {
    root.replaceChildren(failure(e));
  }
}

const hiddenNote = (threshold: number) => h('p', { class: 'muted' }, t('report.hidden', { n: threshold }));
const pct = (v: number | null) => (v === null ? '–' : `${v}%`);

function report(r: OutcomeReport): HTMLElement[] {
  const csv = button(t('report.exportCsv'), async () => {
    csv.setAttribute('disabled', '');
    try {
      await download(`/api/programmes/${encodeURIComponent(r.programme.id)}/outcome.csv`, `reverse-mentor-outcome-${r.programme.id}.csv`);
      announce(t('report.exported'));
    } catch (e) {
      csv.after(failure(e));
    } finally {
      csv.removeAttribute('disabled');
    }
  }, { attrs: { 'data-action': 'outcome-csv' } });
  const print = button(t('report.print'), () => window.print(), { appearance: 'primary', attrs: { 'data-action': 'print' } });
  const s = r.survey;
  const head = section(
    t('report.title'), 2,
    h('p', { class: 'print-only' }, h('strong', null, r.programme.name), ' · ', fmtDate(r.programme.startDate), ' – ', fmtDate(r.programme.endDate), ' · ', t('report.generated', { date: fmtDate(r.generatedAt, true) })),
    h('p', { class: 'muted' }, t('report.explain', { n: r.threshold })),
    h('div', { class: 'stats' },
      stat(String(r.people.mentees), t('report.mentees', { count: r.people.mentees })),
      stat(String(r.people.mentors), t('report.mentors', { count: r.people.mentors })),
      stat(String(r.totals.sessions), t('report.sessions', { count: r.totals.sessions })),
      stat(pct(r.totals.responseRate), t('report.responseRate')),
      stat(`${s.answered} / ${s.asked}`, t('report.surveyAnswered')),
      stat(s.recommend.nps === null ? '–' : String(s.recommend.nps), t('report.nps'))),
    h('div', { class: 'actions no-print' }, print, csv),
  );
  return [
    head,
    changes(t('report.levelsTitle'), t('report.levelsExplain'), r.levels.map((l) => ({ label: t('report.levelShort', { n: l.level }), title: `${t('report.levelShort', { n: l.level })}: ${l.title}`, o: l })), SKILL, r.threshold, 'levels'),
    changes(t('report.businessTitle'), t('report.businessExplain'), r.business.map((b) => ({ label: b.title, title: b.title, o: b })), BUSINESS, r.threshold, 'business'),
    rounds(r),
    survey(t('report.surveyTitle'), r.survey, r.threshold, 'survey'),
    r.pulse ? survey(t('report.pulseTitle'), r.pulse, r.threshold, 'pulse') : null,
    tutorials(r),
    knowledge(r.knowledge, r.threshold),
  ].filter((x): x is HTMLElement => !!x);
}

const stat = (value: string, label: string) => h('div', { class: 'stat' }, h('span', { class: 'stat-value' }, value), h('span', { class: 'stat-label' }, label));

/** Before and after per level (mentees) or business item (mentors): a stacked bar each, the moved-up shares, the numbers. */
function changes(title: string, explain: string, items: Array<{ label: string; title: string; o: ItemOutcome }>, scaleKeys: Key[], threshold: number, id: string): HTMLElement {
  const scale = scaleKeys.map((k) => t(k));
  const blocks = items.map(({ title: name, o }) => {
    if (o.hidden) return h('div', { class: 'outcome-item', 'data-item': o.key, 'data-hidden': 'true' }, h('h3', null, name), hiddenNote(threshold));
    const rows = [
      { label: t('report.atStart'), counts: o.before },
      ...(o.mid.hidden ? [] : [{ label: t('report.atMid'), counts: o.mid.counts }]),
      { label: t('report.atEnd'), counts: o.after },
    ];
    return h('div', { class: 'outcome-item', 'data-item': o.key },
      h('h3', null, name),
      stackedBars(t('report.distributionOf', { name }), rows, scale),
      h('p', null, t('report.movedUp', { up: o.movedUp, count: o.people, percent: o.movedUpPercent ?? 0 })),
      o.departments.length
        ? numbers(t('report.byDepartmentOf', { name }), [t('report.department'), t('report.people'), t('report.movedUpShort')],
            o.departments.map((d) => [d.department ?? t('report.otherDepartments', { count: d.departments ?? 0 }), d.people, `${pct(d.movedUpPercent)} (${d.movedUp})`]))
        : o.departmentsHidden ? h('p', { class: 'muted' }, t('report.departmentsHidden', { n: threshold })) : null);
  });
  const shown = items.filter((i) => !i.o.hidden);
  return section(title, 2,
    h('p', { class: 'muted' }, explain),
    h('div', { 'data-chart': `${id}-moved`, class: 'chart-block' },
      h('h3', null, t('report.movedUpTitle')),
      percentBars(t('report.movedUpTitle'), items.map(({ label, title: name, o }) => ({
        label, value: o.hidden ? null : o.movedUpPercent,
        text: o.hidden ? t('report.notShown', { name }) : t('report.movedUpOf', { name, percent: o.movedUpPercent ?? 0, up: o.movedUp, count: o.people }),
      })))),
    legend(scale),
    h('div', { class: 'outcome-items', 'data-chart': `${id}-distribution` }, blocks),
    shown.length
      ? numbers(title, [t('report.item'), t('report.people'), ...scale.map((x) => `${t('report.atStart')}: ${x}`), ...scale.map((x) => `${t('report.atEnd')}: ${x}`), t('report.movedUpShort')],
          shown.map(({ title: name, o }) => [name, o.people, ...o.before, ...o.after, `${pct(o.movedUpPercent)} (${o.movedUp})`]))
      : null,
  );
}

function rounds(r: OutcomeReport): HTMLElement {
  if (!r.rounds.length) return section(t('report.roundsTitle'), 2, h('p', { class: 'muted' }, t('report.noRounds')));
  const describe = (x: OutcomeReport['rounds'][number]) => t('report.roundValue', { n: x.round, sessions: x.sessions, pairs: x.pairs, rate: x.rate ?? 0, answered: x.answered, asked: x.asked });
  return section(t('report.roundsTitle'), 2,
    h('div', { 'data-chart': 'rounds' }, roundsChart(t('report.roundsTitle'), r.rounds.map((x) => ({ round: x.round, sessions: x.sessions, rate: x.rate, describe: describe(x) })))),
    numbers(t('report.roundsTitle'), [t('report.round'), t('report.opened'), t('report.sessionsShort'), t('report.answered'), t('report.rate')],
      r.rounds.map((x) => [x.round, fmtDate(x.openedAt), `${x.sessions} / ${x.pairs}`, `${x.answered} / ${x.asked}`, pct(x.rate)])));
}

function survey(title: string, s: SurveyOutcome, threshold: number, id: string): HTMLElement {
  const head = h('p', { class: 'muted' }, t('report.surveyCount', { answered: s.answered, asked: s.asked }));
  if (s.hidden) return section(title, 2, head, hiddenNote(threshold));
  const five = ['1', '2', '3', '4', '5'];
  const rec = s.recommend;
  return section(title, 2, head,
    h('div', { 'data-chart': `${id}-scores` },
      stackedBars(t('report.scoresTitle'), [
        { label: t('report.valueShort'), counts: s.valueOfOneToOne.counts },
        { label: t('report.flexShort'), counts: s.flexibility.counts },
      ], five),
      legend(five)),
    h('p', null, t('report.averages', { value: s.valueOfOneToOne.average ?? 0, flexibility: s.flexibility.average ?? 0 })),
    h('h3', null, t('report.recommendTitle')),
    rec.nps === null
      ? hiddenNote(threshold)
      : [
          h('div', { 'data-chart': `${id}-recommend` },
            columns(t('report.recommendTitle'), rec.counts.map((n, i) => ({ label: String(i), value: n })), (c) => t('report.recommendValue', { score: c.label, count: c.value }))),
          h('p', null, t('report.npsValue', { nps: rec.nps, promoters: rec.promoters, passives: rec.passives, detractors: rec.detractors, average: rec.average ?? 0 })),
        ],
    numbers(title, [t('report.question'), ...five, t('report.average')], [
      [t('report.valueShort'), ...s.valueOfOneToOne.counts, s.valueOfOneToOne.average ?? '–'],
      [t('report.flexShort'), ...s.flexibility.counts, s.flexibility.average ?? '–'],
    ]),
  );
}

function tutorials(r: OutcomeReport): HTMLElement {
  if (!r.tutorials.length) return section(t('report.tutorialsTitle'), 2, h('p', { class: 'muted' }, t('report.noTutorials')));
  const max = Math.max(...r.tutorials.map((x) => x.pairs));
  return section(t('report.tutorialsTitle'), 2,
    h('div', { 'data-chart': 'tutorials' },
      percentBars(t('report.tutorialsTitle'), r.tutorials.map((x) => ({
        label: `L${x.level} · ${x.title}`, value: Math.round((x.pairs / max) * 100), shown: String(x.pairs), text: t('report.tutorialValue', { title: x.title, count: x.pairs }),
      })))),
    numbers(t('report.tutorialsTitle'), [t('report.tutorial'), t('report.pairs')], r.tutorials.map((x) => [`L${x.level} · ${x.title}`, x.pairs])));
}

function knowledge(moments: KnowledgeMoment[], threshold: number): HTMLElement {
  if (!moments.length) return section(t('report.knowledgeTitle'), 2, h('p', { class: 'muted' }, t('report.noKnowledge')));
  const name = (m: KnowledgeMoment, i: number) => `${i + 1}. ${m.name} · ${t(m.phase === 'start' ? 'report.momentStart' : 'report.momentEnd')} (${fmtDate(m.date)})`;
  const levels = [1, 2, 3, 4, 5];
  const series = levels.map((l) => ({ label: t('report.levelShort', { n: l }), values: moments.map((m) => (m.map.hidden ? null : m.map.levels[l - 1].confidentPercent)) }));
  const describe = moments.map((m, i) => `${name(m, i)}: ${m.map.hidden ? t('report.notShownShort') : levels.map((l) => `${t('report.levelShort', { n: l })} ${pct(m.map.levels[l - 1].confidentPercent)}`).join(', ')}`).join('; ');
  const departments = moments.flatMap((m, i) => m.map.departments.map((d) => [name(m, i), d.department ?? t('report.otherDepartments', { count: d.departments ?? 0 }), d.people, ...d.confidentPercent.map(pct)]));
  return section(t('report.knowledgeTitle'), 2,
    h('p', { class: 'muted' }, t('report.knowledgeExplain', { n: threshold })),
    h('div', { 'data-chart': 'knowledge' }, lines(t('report.knowledgeTitle'), moments.map((_m, i) => String(i + 1)), series, describe)),
    numbers(t('report.knowledgeTitle'), [t('report.moment'), t('report.people'), ...levels.map((l) => t('report.levelShort', { n: l }))],
      moments.map((m, i) => [name(m, i), m.map.people, ...(m.map.hidden ? levels.map(() => t('report.notShownShort')) : m.map.levels.map((l) => pct(l.confidentPercent)))])),
    departments.length
      ? numbers(t('report.knowledgeByDepartment'), [t('report.moment'), t('report.department'), t('report.people'), ...levels.map((l) => t('report.levelShort', { n: l }))], departments)
      : h('p', { class: 'muted' }, t('report.departmentsHidden', { n: threshold })),
  );
}

