// "Who am I" for the tab: the person, whether they are an admin, and their live memberships.
import type { Participant, Programme } from '../domain/types';
import { nameOf } from '../services/contacts';
import { myParticipations } from '../services/participants';
import type { Services } from '../services/services';
import type { Me, ProgrammeBrief } from '../contract/tabApi';

export const brief = (p: Programme): ProgrammeBrief => ({ id: p.id, name: p.name, status: p.status, levels: p.levels, startDate: p.startDate, endDate: p.endDate });

const LIVE = new Set(['nominated', 'active', 'paused']);

/** The programmes the person takes part in (nominated, active or paused), newest first. */
export async function memberships(svc: Services, tenantId: string, userId: string): Promise<Array<{ programme: Programme; participant: Participant }>> {
  return (await myParticipations(svc, tenantId, userId)).filter((m) => LIVE.has(m.participant.status));
}

/** `isAdmin` may still be on its way: it is read alongside the memberships. */
export async function me(svc: Services, tenantId: string, userId: string, isAdmin: Promise<boolean>, mode: Me['mode'], tokenName?: string): Promise<Me> {
  const [mine, admin] = await Promise.all([memberships(svc, tenantId, userId), isAdmin]);
  const name = tokenName || (await nameOf(svc, tenantId, userId, mine[0]?.participant));
  return {
    userId, tenantId, name, isAdmin: admin, mode,
    memberships: mine.map(({ programme, participant }) => ({
      programmeId: programme.id, name: programme.name, status: programme.status, role: participant.role, participantStatus: participant.status,
    })),
  };
}
