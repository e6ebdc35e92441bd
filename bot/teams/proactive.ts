// Every proactive message through the Bot Connector: to a person's stored 1:1 conversation, or by
// creating one from their id and tenant, and to a channel. Two clients of the same send: the bot's
// notices (ConnectorNotifier, the adapter's own retries) and the check-in dispatcher's cards
// (ConnectorSender, one attempt per call so the dispatcher paces and retries itself).
import { ConversationReference, TurnContext } from 'botbuilder';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Card } from '../cards/render';
import { SendFailed, SendFailure, Sender, Sent } from '../services/sender';
import type { Config } from '../config';
import type { UserContact } from '../domain/types';
import { contactOf, serviceUrlOf } from '../services/contacts';
import { Notifier, UnreachableError } from '../services/notifier';
import type { Services } from '../services/services';
import { createAdapter } from './adapter';
import { ConnectorHttpError, SingleAttemptHttpClient } from './connectorHttpClient';
import { toActivity } from './turnContext';

/** HTTP status of a failed Bot Connector call, if it had one. */
export function connectorStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}

/** What a failed Bot Connector call means for whoever sent it. */
export function classify(err: unknown): SendFailure {
  if (err instanceof ConnectorHttpError) {
    if (err.statusCode === 429) return { kind: 'throttled', retryAfterMs: err.retryAfterMs };
    return { kind: 'transient', status: err.statusCode };
  }
  const status = connectorStatus(err);
  if (status === 403 || status === 404) return { kind: 'unreachable', status };
  if (status === 429) return { kind: 'throttled' };
  if (status === undefined || status >= 500) return { kind: 'transient', status };
  return { kind: 'rejected', status };
}

/**
 * One card to one person: through the stored 1:1 reference, or (never talked to us) by creating
 * the 1:1 chat with the user's id in their tenant, whose reference is then returned to be kept.
 */
async function sendToPerson(
  adapter: TeamsAdapter, appId: string, tenantId: string, serviceUrl: string | undefined, userId: string, contact: UserContact | undefined, message: Card | string,
): Promise<Sent> {
  const activity = toActivity(message);
  if (contact?.conversationRef) {
    const ref = JSON.parse(contact.conversationRef) as Partial<ConversationReference>;
    let activityId: string | undefined;
    await adapter.continueConversationAsync(appId, ref, async (ctx) => {
      activityId = (await ctx.sendActivity(activity))?.id;
    });
    return { conversationId: ref.conversation?.id ?? '', activityId };
  }
  if (!serviceUrl) throw Object.assign(new Error('no Bot Connector endpoint known for this tenant yet'), { statusCode: 404 });
  let sent: Sent = { conversationId: '' };
  await adapter.createConversationAsync(
    appId,
    'msteams',
    serviceUrl,
    '',
    { isGroup: false, bot: { id: appId || 'bot', name: 'Reverse Mentor' }, members: [{ id: userId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
    async (ctx) => {
      const ref = TurnContext.getConversationReference(ctx.activity);
      const activityId = (await ctx.sendActivity(activity))?.id;
      sent = { conversationId: ctx.activity.conversation.id, activityId, newReference: JSON.stringify({ ...ref, user: { id: userId, name: contact?.name ?? '' } }) };
    },
  );
  return sent;
}

/** The bot's own proactive notices (introductions, nominations, notes to admins). */
export class ConnectorNotifier implements Notifier {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly svc: Services,
  ) {}

  private async guarded<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      // 403: the user blocked the bot or the app is not installed for them; 404: conversation gone.
      if (classify(err).kind === 'unreachable') throw new UnreachableError(`Teams answered ${connectorStatus(err) ?? 404}`);
      throw err;
    }
  }

  // Every notice takes a slot of the tenant's send schedule, shared with the check-ins and every
  // other instance, so that together they stay within Teams' per-tenant rate.
  async sendToUser(tenantId: string, userId: string, message: Card | string) {
    await this.svc.budget.wait(tenantId);
    const contact = await contactOf(this.svc, tenantId, userId);
    const serviceUrl = contact?.conversationRef ? undefined : await serviceUrlOf(this.svc, tenantId);
    const sent = await this.guarded(() => sendToPerson(this.adapter, this.svc.config.appId || '', tenantId, serviceUrl, userId, contact, message));
    return { conversationId: sent.conversationId, activityId: sent.activityId };
  }

  private async conversationRef(tenantId: string, conversationId: string): Promise<Partial<ConversationReference>> {
    const serviceUrl = await serviceUrlOf(this.svc, tenantId);
    if (!serviceUrl) throw new UnreachableError('no Bot Connector endpoint known for this tenant yet');
    return { channelId: 'msteams', serviceUrl, conversation: { id: conversationId, tenantId } as never };
  }

  async sendToConversation(tenantId: string, conversationId: string, message: Card | string) {
    let id: string | undefined;
    const ref = await this.conversationRef(tenantId, conversationId);
    await this.svc.budget.wait(tenantId);
    await this.guarded(() =>
      this.adapter.continueConversationAsync(this.svc.config.appId || '', ref, async (ctx) => {
        id = (await ctx.sendActivity(toActivity(message)))?.id;
      }),
    );
    return id;
  }

  async updateInConversation(tenantId: string, conversationId: string, activityId: string, message: Card) {
    const ref = await this.conversationRef(tenantId, conversationId);
    await this.svc.budget.wait(tenantId);
    await this.guarded(() =>
      this.adapter.continueConversationAsync(this.svc.config.appId || '', ref, async (ctx) => {
        await ctx.updateActivity({ ...toActivity(message), id: activityId, type: 'message' });
      }),
    );
  }
}

/**
 * The dispatcher's sends: a separate adapter from the bot's own, because its HTTP client must not
 * retry behind the dispatcher's back (see connectorHttpClient.ts). Failures are classified so the
 * dispatcher decides (wait out a 429, back off on 5xx, give up on 403/404).
 */
export class ConnectorSender implements Sender {
  private readonly adapter: TeamsAdapter;
  private readonly abort = new AbortController();

  // A send that takes longer than the lease could be taken over and sent twice: give up sooner.
  constructor(private readonly config: Config, timeoutMs = Math.min(20_000, Math.max(1_000, (config.dispatchLeaseSeconds - 2) * 1000))) {
    this.adapter = createAdapter(config, { httpClient: new SingleAttemptHttpClient(timeoutMs, this.abort.signal) } as never);
  }

  async send(tenantId: string, serviceUrl: string | undefined, userId: string, contact: UserContact | undefined, message: Card): Promise<Sent> {
    try {
      return await sendToPerson(this.adapter, this.config.appId || '', tenantId, serviceUrl, userId, contact, message);
    } catch (err) {
      throw new SendFailed(classify(err));
    }
  }

  close(): void {
    this.abort.abort();
  }
}
