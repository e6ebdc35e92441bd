// What the app needs of a people directory (Entra ID through Microsoft Graph: bot/graph/
// implements it; services/entra.ts holds the use cases). No Graph types: bot/graph/ translates.
import type { DirectoryFacts } from '../domain/types';

/** One person as the directory has them (no Graph types: bot/graph/ translates): their facts as read now. */
export interface DirectoryPerson extends Omit<DirectoryFacts, 'readAt'> {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

export interface DirectoryGroup {
  id: string;
  displayName: string;
}

export interface DirectoryMember {
  id: string;
  displayName: string;
  userPrincipalName?: string;
}

/** Graph could not be reached, kept failing, or refused the app: nothing was read. */
export class DirectoryUnavailableError extends Error {}

/** How long a caller can wait: a person waiting for a card retries briefly; background work waits out throttling. */
export type Patience = 'person-waiting' | 'background';

export interface Directory {
  /** False when no directory is configured (local mode without GRAPH_BASE_URL). */
  readonly enabled: boolean;
  /** The people among `ids` the directory knows (unknown ids are left out). */
  people(tenantId: string, ids: string[], patience: Patience): Promise<Map<string, DirectoryPerson>>;
  /** Groups with this display name (case-insensitive), or the group with this id. */
  groups(tenantId: string, nameOrId: string): Promise<DirectoryGroup[]>;
  /** Every user in the group, nested groups followed, each once. */
  members(tenantId: string, groupId: string): Promise<DirectoryMember[]>;
}

export const NO_DIRECTORY: Directory = {
  enabled: false,
  people: async () => new Map(),
  groups: async () => [],
  members: async () => [],
};
