// Adapts a Bot Framework TurnContext to our Turn.
import { Activity, CardFactory, MessageFactory, TeamsInfo, TurnContext } from 'botbuilder';
import type { Card } from '../cards/render';
import type { Mention } from '../domain/commands';
import type { Scope, Turn } from '../handlers/turn';
import { localeOf } from '../i18n/i18n';

export function toActivity(message: Card | string): Partial<Activity> {
  return typeof message === 'string' ? MessageFactory.text(message) : MessageFactory.attachment(CardFactory.adaptiveCard(message));
}

export function tenantOf(activity: Activity): string {
  return activity.channelData?.tenant?.id ?? activity.conversation?.tenantId ?? '';
}

export function userOf(activity: Activity): string {
  // The Entra object id is the identity; Bot Framework emulators without Entra send only from.id.
  return activity.from?.aadObjectId ?? activity.from?.id ?? '';
}

export function scopeOf(activity: Activity): Scope {
  const type = activity.conversation?.conversationType;
  if (type === 'channel') return 'team';
  if (type === 'groupChat' || activity.conversation?.isGroup) return 'groupChat';
  return 'personal';
}

/** Mentioned users other than the bot, resolved to their Entra object ids where Teams tells us. */
async function mentionsOf(context: TurnContext): Promise<Mention[]> {
  const botId = context.activity.recipient?.id;
  const raw = (context.activity.entities ?? [])
    .filter((e) => e.type === 'mention' && e.mentioned?.id && e.mentioned.id !== botId)
    .map((e) => ({ id: String(e.mentioned.id), name: String(e.mentioned.name ?? '') }));
  return Promise.all(
    raw.map(async (m) => {
      try {
        const member = await TeamsInfo.getMember(context, m.id);
        return { id: member.aadObjectId ?? m.id, name: member.name ?? m.name };
      } catch {
        return m;
      }
    }),
  );
}

export async function turnFrom(context: TurnContext): Promise<Turn> {
  const a = context.activity;
  return {
    tenantId: tenantOf(a),
    userId: userOf(a),
    userName: a.from?.name ?? '',
    locale: localeOf(a.locale),
    scope: scopeOf(a),
    conversationId: a.conversation?.id ?? '',
    mentions: await mentionsOf(context),
    replyToId: a.replyToId,
    send: async (message) => (await context.sendActivity(toActivity(message)))?.id,
    update: async (activityId, message) => {
      await context.updateActivity({ ...toActivity(message), id: activityId, type: 'message' });
    },
  };
}
