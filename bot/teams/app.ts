// The Teams AI Application: turns activities into Turns and hands them to the router.
import { ActivityTypes, TeamsInfo, TurnContext } from 'botbuilder';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { welcomeCard } from '../cards/welcome';
import { handleMessage, handleSubmit } from '../handlers/router';
import { localeOf } from '../i18n/i18n';
import { seedConfiguredAdmins } from '../services/admins';
import { rememberServiceUrl, rememberUser } from '../services/contacts';
import type { Services } from '../services/services';
import { StorageUnavailableError } from '../storage/repository';
import { scopeOf, tenantOf, turnFrom, userOf } from './turnContext';

/** Stores what we need to reach this person or tenant later (1:1 chats only for people). */
async function remember(context: TurnContext, svc: Services): Promise<void> {
  const a = context.activity;
  const tenantId = tenantOf(a);
  if (!tenantId) return;
  await rememberServiceUrl(svc, tenantId, a.serviceUrl);
  await seedConfiguredAdmins(svc, tenantId);
  if (scopeOf(a) === 'personal' && a.from?.id && a.from.role !== 'bot') {
    // Without the incoming activity's id: the reference then stays the same from message to
    // message and is written once, not on every turn (proactive sends do not need it).
    const { activityId: _activityId, ...ref } = TurnContext.getConversationReference(a);
    await rememberUser(
      svc,
      { tenantId, userId: userOf(a), name: a.from.name ?? '', locale: localeOf(a.locale), conversationRef: JSON.stringify(ref) },
      async () => (await TeamsInfo.getMember(context, a.from.id)).userPrincipalName,
    );
  }
}

export function createApp(svc: Services, adapter: TeamsAdapter): Application {
  const app = new Application({
    adapter,
    botAppId: svc.config.appId,
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const a = context.activity;
    const botAdded = (a.membersAdded ?? []).some((m) => m.id === a.recipient?.id);
    if (!botAdded || !tenantOf(a)) return;
    await remember(context, svc).catch(() => undefined);
    const turn = await turnFrom(context);
    await turn.send(welcomeCard(turn.locale, turn.scope));
  });

  app.activity('installationUpdate', async (context) => {
    await remember(context, svc).catch(() => undefined);
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const a = context.activity;
    const turn = await turnFrom(context);
    if (!turn.tenantId || !turn.userId) {
      await turn.send('Reverse Mentor works inside Microsoft Teams: this message came without a tenant or user.');
      return;
    }
    try {
      await remember(context, svc);
    } catch (err) {
      // The router answers storage outages itself; anything else must not stop the reply.
      if (!(err instanceof StorageUnavailableError)) throw err;
    }
    const value = a.value && typeof a.value === 'object' && !Array.isArray(a.value) ? (a.value as Record<string, unknown>) : undefined;
    if (value && !(a.text ?? '').trim()) await handleSubmit(svc, turn, value);
    else await handleMessage(svc, turn, a.text ?? '');
  });

  app.error(async (context, error) => {
    console.error(`[bot] unhandled: ${error.name}`);
    await context.sendActivity('Something went wrong on our side. Nothing was changed. Please try again.').catch(() => undefined);
  });

  return app;
}
