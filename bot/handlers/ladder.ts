// "ladder": a person's tutorial ladder in each programme they take part in, as a card, with a
// button into the personal tab for the full view.
import { ladderCard } from '../cards/ladder';
import { ladderView } from '../domain/ladder';
import { isLive, myParticipations } from '../services/participants';
import { progressOf } from '../services/progress';
import type { Services } from '../services/services';
import { tabLink } from './tabLinks';
import type { Turn } from './turn';

export async function ladder(svc: Services, turn: Turn): Promise<void> {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((m) => isLive(m.participant));
  // Progress is per person, not per programme: read it once.
  const progress = mine.length ? await progressOf(svc, turn.tenantId, turn.userId) : new Map();
  const ladders = mine.map(({ programme, participant }) => ({ programme, view: ladderView(progress, turn.locale, programme.levels, participant.wantLevels) }));
  await turn.send(ladderCard(turn.locale, ladders, svc.config.teamsAppId ? tabLink(svc.config, { view: 'ladder' }) : ''));
}
