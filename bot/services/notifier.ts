// Proactive messages (introductions, nominations, check-ins) without Bot Framework types.
import type { Card } from '../cards/render';

export interface Notifier {
  /** Sends to a person's 1:1 chat with the bot; returns ids, or throws UnreachableError. */
  sendToUser(tenantId: string, userId: string, message: Card | string): Promise<{ conversationId: string; activityId?: string }>;
  /** Posts to a channel or group conversation the bot is in. */
  sendToConversation(tenantId: string, conversationId: string, message: Card | string): Promise<string | undefined>;
  updateInConversation(tenantId: string, conversationId: string, activityId: string, message: Card): Promise<void>;
}

/** The person blocked or uninstalled the bot (Teams answers 403/404): do not retry. */
export class UnreachableError extends Error {}
