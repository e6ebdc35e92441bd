// "ladder": a person's tutorial ladder in each programme they take part in, as a card, with
// the next suggested session and a button into the personal tab for the full view.
import { renderCard } from '../cards/render';
import { ladderView } from '../domain/ladder';
import { t } from '../i18n/i18n';
import { myParticipations } from '../services/programmes';
import { progressOf } from '../services/tabViews';
import { onCommand } from './router';
import { tabLink } from './tabLinks';
import { who } from './views';

onCommand('ladder', async (turn, svc) => {
  const L = turn.locale;
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((m) => m.participant.status === 'active' || m.participant.status === 'paused');
  // Progress is per person, not per programme: read it once.
  const progress = mine.length ? await progressOf(svc.store, turn.tenantId, turn.userId) : new Map();
  const programmes = mine.map(({ programme, participant }) => {
    const view = ladderView(progress, L, programme.levels, participant.wantLevels);
    return {
      name: t(L, 'ladder.programme', { name: who(programme), done: view.done, total: view.total, percent: view.percent }),
      levels: view.levels.map((lv) => ({
        title: `${lv.level} · ${lv.title}${lv.wanted ? ` (${t(L, 'ladder.wanted')})` : ''}`,
        progress: t(L, 'ladder.levelProgress', { done: lv.done, total: lv.total }),
        complete: lv.complete,
      })),
      next: view.next ? `${view.next.title} (${view.next.durationMinutes} min)` : '',
      nextGoal: view.next?.goal ?? '',
      nextActivities: view.next?.activities ?? [],
    };
  });
  await turn.send(renderCard('ladder', { programmes, tabUrl: svc.config.teamsAppId ? tabLink(svc.config, { view: 'ladder' }) : '' }, L));
});
