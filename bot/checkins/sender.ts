// Proactive sends for the dispatcher: one attempt per call, failures classified so the caller
// decides (wait out a 429, back off on 5xx, give up on 403/404). A separate adapter from the
// bot's own, because its HTTP client must not retry behind our back (see connectorHttpClient.ts).
import { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Card } from '../cards/render';
import type { Config } from '../config';
import type { UserContact } from '../domain/types';
import { createAdapter } from '../teams/adapter';
import { toActivity } from '../teams/turnContext';
import { ConnectorHttpError, SingleAttemptHttpClient } from './connectorHttpClient';

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

export function classify(err: unknown): SendFailure {
  if (err instanceof ConnectorHttpError) {
    if (err.statusCode === 429) return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
    return { kind: 'transient', status: err.statusCode };
  }
  const e = err as { statusCode?: number; response?: { status?: number } };
  const status = e?.statusCode ?? e?.response?.status;
  if (status === 403 || status === 404) return { kind: 'unreachable', status };
  if (status === 429) return { kind: 'throttled' };
  if (status === undefined || status >= 500) return { kind: 'transient', status };
  return { kind: 'rejected', status };
}

export interface Sender {
  /** Sends to the person's 1:1 chat (creating it when no reference is stored). Throws; see classify. */
  send(tenantId: string, serviceUrl: string | undefined, userId: string, contact: UserContact | undefined, message: Card): Promise<Sent>;
}

export class ConnectorSender implements Sender {
  private readonly adapter: TeamsAdapter;

  constructor(
    private readonly config: Config,
    signal?: AbortSignal,
    timeoutMs = 20000,
  ) {
    this.adapter = createAdapter(config, { httpClient: new SingleAttemptHttpClient(timeoutMs, signal) } as never);
  }

  async send(tenantId: string, serviceUrl: string | undefined, userId: string, contact: UserContact | undefined, message: Card): Promise<Sent> {
    const appId = this.config.appId || '';
    if (contact?.conversationRef) {
      const ref = JSON.parse(contact.conversationRef) as Partial<ConversationReference>;
      let activityId: string | undefined;
      await this.adapter.continueConversationAsync(appId, ref, async (ctx) => {
        activityId = (await ctx.sendActivity(toActivity(message)))?.id;
      });
      return { conversationId: ref.conversation?.id ?? '', activityId };
    }
    // Never talked to us: open the 1:1 chat with the user's id in their tenant.
    if (!serviceUrl) throw Object.assign(new Error('no Bot Connector endpoint known for this tenant'), { statusCode: 404 });
    let sent: Sent = { conversationId: '' };
    await this.adapter.createConversationAsync(
      appId,
      'msteams',
      serviceUrl,
      '',
      { isGroup: false, bot: { id: appId || 'bot', name: 'Reverse Mentor' }, members: [{ id: userId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
      async (ctx) => {
        const ref = TurnContext.getConversationReference(ctx.activity);
        const activityId = (await ctx.sendActivity(toActivity(message)))?.id;
        sent = { conversationId: ctx.activity.conversation.id, activityId, newReference: JSON.stringify({ ...ref, user: { id: userId, name: contact?.name ?? '' } }) };
      },
    );
    return sent;
  }
}
