// Proactive sending through the Bot Connector: to a stored 1:1 conversation, or by creating one.
import { ConversationReference, TurnContext } from 'botbuilder';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Card } from '../cards/render';
import { contactOf } from '../services/contacts';
import { Notifier, UnreachableError } from '../services/notifier';
import type { Services } from '../services/services';
import { key } from '../storage/repository';
import { toActivity } from './turnContext';

/** HTTP status of a failed Bot Connector call, if it had one. */
export function connectorStatus(err: unknown): number | undefined {
  const e = err as { statusCode?: number; response?: { status?: number } };
  return e?.statusCode ?? e?.response?.status;
}

function rethrow(err: unknown): never {
  const status = connectorStatus(err);
  // 403: the user blocked the bot or the app is not installed for them; 404: conversation gone.
  if (status === 403 || status === 404) throw new UnreachableError(`Teams answered ${status}`);
  throw err;
}

export class ConnectorNotifier implements Notifier {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly svc: Pick<Services, 'store' | 'config'>,
  ) {}

  private async run(reference: Partial<ConversationReference>, logic: (ctx: TurnContext) => Promise<void>): Promise<void> {
    try {
      await this.adapter.continueConversationAsync(this.svc.config.appId || '', reference, logic);
    } catch (err) {
      rethrow(err);
    }
  }

  async sendToUser(tenantId: string, userId: string, message: Card | string) {
    const contact = await contactOf(this.svc.store, tenantId, userId);
    if (contact?.conversationRef) {
      const ref = JSON.parse(contact.conversationRef) as Partial<ConversationReference>;
      let activityId: string | undefined;
      await this.run(ref, async (ctx) => {
        activityId = (await ctx.sendActivity(toActivity(message)))?.id;
      });
      return { conversationId: ref.conversation?.id ?? '', activityId };
    }
    // Never talked to us: open the 1:1 chat with the user's id in their tenant.
    const tenant = await this.svc.store.tenants.get(key(tenantId), 'settings');
    if (!tenant) throw new UnreachableError('no Bot Connector endpoint known for this tenant yet');
    let conversationId = '';
    let activityId: string | undefined;
    try {
      await this.adapter.createConversationAsync(
        this.svc.config.appId || '',
        'msteams',
        tenant.value.serviceUrl,
        '',
        { isGroup: false, bot: { id: this.svc.config.appId || 'bot', name: 'Reverse Mentor' }, members: [{ id: userId, name: '' }], tenantId, channelData: { tenant: { id: tenantId } } } as never,
        async (ctx) => {
          conversationId = ctx.activity.conversation.id;
          activityId = (await ctx.sendActivity(toActivity(message)))?.id;
        },
      );
    } catch (err) {
      rethrow(err);
    }
    return { conversationId, activityId };
  }

  private async conversationRef(tenantId: string, conversationId: string): Promise<Partial<ConversationReference>> {
    const tenant = await this.svc.store.tenants.get(key(tenantId), 'settings');
    if (!tenant) throw new UnreachableError('no Bot Connector endpoint known for this tenant yet');
    return { channelId: 'msteams', serviceUrl: tenant.value.serviceUrl, conversation: { id: conversationId, tenantId } as never };
  }

  async sendToConversation(tenantId: string, conversationId: string, message: Card | string) {
    let id: string | undefined;
    await this.run(await this.conversationRef(tenantId, conversationId), async (ctx) => {
      id = (await ctx.sendActivity(toActivity(message)))?.id;
    });
    return id;
  }

  async updateInConversation(tenantId: string, conversationId: string, activityId: string, message: Card) {
    await this.run(await this.conversationRef(tenantId, conversationId), async (ctx) => {
      await ctx.updateActivity({ ...toActivity(message), id: activityId, type: 'message' });
    });
  }
}
