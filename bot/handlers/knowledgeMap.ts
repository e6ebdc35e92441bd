// "knowledge map": levels x departments for an admin, as they may see it.
import { knowledgeMapCard } from '../cards/knowledgeMap';
import { participantsOf } from '../services/participants';
import type { Services } from '../services/services';
import { programmeFor } from './programmes';
import type { Turn } from './turn';

export async function knowledgeMap(svc: Services, turn: Turn, args: string): Promise<void> {
  const programme = await programmeFor(svc, turn, args, ['open', 'matching', 'running', 'closing']);
  if (!programme) return;
  await turn.send(knowledgeMapCard(turn.locale, programme, await participantsOf(svc, programme), turn.userId));
}
