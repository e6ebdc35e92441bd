// The Graph stand-in (bot/dev/graphStandIn.ts) for tests: seeded with test users, with its
// fault injection (429 with Retry-After, 503, down, slow) and request log.
import { DirectorySeed, GraphStandIn, LoggedRequest, StandInUser } from '../../bot/dev/graphStandIn';
import { forgetAdminGroup } from '../../bot/services/entra';
import { TestUser, upnOf } from './harness';

export { GraphStandIn };

export async function startGraph(seed: DirectorySeed, pageSize?: number): Promise<GraphStandIn> {
  forgetAdminGroup();
  const graph = new GraphStandIn(seed);
  if (pageSize) graph.pageSize = pageSize;
  await graph.start();
  return graph;
}

/** A test user as Entra knows them; a mailbox in Western Europe unless `over` says otherwise. */
export function entraUser(u: TestUser, over: Partial<StandInUser> & { manager?: TestUser } = {}): StandInUser {
  const { manager, ...rest } = over;
  return {
    id: u.aadObjectId,
    displayName: u.name,
    userPrincipalName: upnOf(u),
    mailboxTimeZone: 'W. Europe Standard Time',
    ...(manager ? { managerId: manager.aadObjectId } : {}),
    ...rest,
  };
}

/** The stand-in's log of one person's look-ups (single requests and $batch sub-requests). */
export const lookUpsOf = (graph: GraphStandIn, u: TestUser): LoggedRequest[] =>
  graph.log.filter((r) => r.url.startsWith(`/users/${u.aadObjectId}`) || r.url.startsWith(`/users/${encodeURIComponent(u.aadObjectId)}`));
