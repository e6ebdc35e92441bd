// What a command handler sees of a conversation turn: who acts, where, in which language,
// and how to answer. No Bot Framework types, so handlers stay small and testable.
import type { Card } from '../cards/render';
import type { Mention } from '../domain/commands';
import type { Locale } from '../domain/types';

export type Scope = 'personal' | 'groupChat' | 'team';

export interface Turn {
  tenantId: string;
  userId: string;
  userName: string;
  locale: Locale;
  scope: Scope;
  conversationId: string;
  /** Users mentioned in the message, other than the bot. */
  mentions: Mention[];
  /** The activity a card submit came from (to replace that card in place). */
  replyToId?: string;
  /** Sends a card or text; returns the new activity's id. */
  send(message: Card | string): Promise<string | undefined>;
  /** Replaces an earlier message (e.g. a submitted form by its summary). */
  update(activityId: string, message: Card): Promise<void>;
}
