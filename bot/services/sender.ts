// What the dispatcher needs of whoever delivers a card: one attempt per call, and a failure it
// can act on. The Bot Connector implementation is bot/teams/proactive.ts (ConnectorSender); the
// dispatcher (bot/checkins/) uses it.
import type { Card } from '../cards/render';
import type { UserContact } from '../domain/types';

export interface Sent {
  conversationId: string;
  activityId?: string;
  /** Set when the 1:1 chat was created by this send: worth remembering for the next one. */
  newReference?: string;
}

export type SendFailure =
  /** 429: not delivered; wait `retryAfterMs` (Teams' Retry-After) or back off. */
  | { kind: 'throttled'; retryAfterMs?: number }
  /** 5xx, 408 or no answer: maybe delivered (unknowable), retry with backoff. */
  | { kind: 'transient'; status?: number }
  /** 403/404: the person blocked or uninstalled the bot, or the chat is gone. */
  | { kind: 'unreachable'; status: number }
  /** Any other answer (400, 401...): retrying the same request will not help. */
  | { kind: 'rejected'; status?: number };

/** A send that did not go through, and why. */
export class SendFailed extends Error {
  constructor(readonly failure: SendFailure) {
    super(`send failed: ${failure.kind}`);
    this.name = 'SendFailed';
  }
}

export interface Sender {
  /** Sends to the person's 1:1 chat (creating it when no reference is stored). Throws SendFailed. */
  send(tenantId: string, serviceUrl: string | undefined, userId: string, contact: UserContact | undefined, message: Card): Promise<Sent>;
  /** Aborts the sends on the wire (a dispatcher stopped or killed). */
  close?(): void;
}
