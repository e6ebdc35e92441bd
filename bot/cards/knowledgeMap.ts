// The knowledge map card: levels x departments by self-assessment, as the viewer may see it
// (no breakdown below the privacy threshold of people other than them), and where mentors are scarce.
import { knowledgeMap, PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import type { Locale, Participant, Programme } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, escapeMarkdown, renderCard } from './render';

export function knowledgeMapCard(locale: Locale, programme: Programme, people: Participant[], viewerId: string): Card {
  const map = knowledgeMap(people, programme.levels, programme.maxMenteesPerMentor, viewerId);
  const L = locale;
  const byDept = map.departments.map((d) => map.cells.filter((c) => c.department === d));
  return renderCard(
    'knowledge-map',
    {
      title: t(L, 'knowledge.title', { name: escapeMarkdown(programme.name) }),
      intro: t(L, 'knowledge.intro', { threshold: PRIVACY_THRESHOLD }),
      columns: [{ width: 2 }, ...map.levels.map(() => ({ width: 1 }))],
      header: [t(L, 'knowledge.department'), ...map.levels.map((l) => `L${l}`)],
      rows: byDept.map((cells, i) => ({
        cells: [
          `${escapeMarkdown(map.departments[i])} (${cells[0]?.total ?? 0})`,
          ...cells.map((c) => (c.counts ? `${c.counts[3]} · ${c.counts[2]} · ${c.counts[1]} · ${c.counts[0]}` : t(L, 'knowledge.hidden', { threshold: PRIVACY_THRESHOLD }))),
        ],
      })),
      scarce: map.supply.filter((s) => s.scarce).map((s) => t(L, 'knowledge.scarce', { level: s.level, wanting: s.menteesWanting, able: s.mentorsAble })),
      supplyHidden: map.supply.some((s) => s.hidden) ? t(L, 'knowledge.supplyHidden', { threshold: PRIVACY_THRESHOLD }) : '',
    },
    L,
  );
}
