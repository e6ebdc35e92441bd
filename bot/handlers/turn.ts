// What a command handler sees of a conversation turn: who acts, where, in which language,
// and how to answer. No Bot Framework types, so handlers stay small and testable.
import { notice } from '../cards/common';
import { Card, escapeMarkdown } from '../cards/render';
import type { Mention, Scope } from '../domain/commands';
import type { Locale } from '../domain/types';
import { t } from '../i18n/i18n';
import type { Services } from '../services/services';

export type { Scope };

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

/**
 * Answers a card submit by replacing the submitted card in place (a form by its summary); sent
 * as a new message where the client gave no id or the update fails.
 */
export async function replaceCard(turn: Turn, card: Card): Promise<void> {
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
}

/** Personal cards go to the person's 1:1 chat; asked in a channel or group chat, they are told so. */
export async function sendPrivately(svc: Services, turn: Turn, card: Card, sentKey: string, installKey: string, command?: string): Promise<void> {
  if (turn.scope === 'personal') {
    await turn.send(card);
    return;
  }
  const person = escapeMarkdown(turn.userName);
  try {
    await svc.notifier.sendToUser(turn.tenantId, turn.userId, card);
    await turn.send(notice(turn, t(turn.locale, sentKey, { person })));
  } catch {
    await turn.send(notice(turn, t(turn.locale, installKey, { person, command: command ?? '' })));
  }
}
