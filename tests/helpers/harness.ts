// Runs the real server (restify + CloudAdapter + teams-ai) against Azurite and the Bot
// Connector stand-in, and talks to it over HTTP with Teams-shaped activities.
import { loadConfig } from '../../bot/config';
import { createServices, RunningServer, startServer } from '../../bot/startup';
import { forgetContactCache } from '../../bot/services/contacts';
import { ConnectorStandIn, RecordedActivity } from '../connector/connector';
import { connectionString, testPrefix } from './storage';

export const TENANT = '7a1f0000-0000-4000-8000-00000000aaaa';
export const OTHER_TENANT = '7b2f0000-0000-4000-8000-00000000bbbb';
export const BOT = { id: '28:reverse-mentor-bot', name: 'Reverse Mentor' };

export interface TestUser {
  aadObjectId: string;
  teamsId: string;
  name: string;
  tenantId: string;
}

let userSeq = 0;
export function user(name: string, tenantId = TENANT): TestUser {
  const n = (++userSeq).toString(16).padStart(12, '0');
  return { aadObjectId: `00000000-0000-4000-9000-${n}`, teamsId: `29:${name.toLowerCase().replace(/\W/g, '')}-${n}`, name, tenantId };
}

export const upnOf = (u: TestUser) => `${u.name.toLowerCase().replace(/[^a-z]+/g, '.')}@contoso.example`;

export interface Harness {
  url: string;
  connector: ConnectorStandIn;
  svc: ReturnType<typeof createServices>;
  env: Record<string, string>;
  /** Posts an activity; resolves with the HTTP status and the activities the bot sent meanwhile. */
  post(activity: Record<string, unknown>, headers?: Record<string, string>): Promise<{ status: number; replies: RecordedActivity[]; body: string }>;
  say(u: TestUser, text: string, opts?: { locale?: string; conversation?: Conv; mentions?: TestUser[] }): Promise<RecordedActivity[]>;
  submit(u: TestUser, value: Record<string, unknown>, opts?: { locale?: string; conversation?: Conv; replyToId?: string }): Promise<RecordedActivity[]>;
  /** Headers every say/submit adds (authenticated mode: a Bot Framework token). */
  headers: () => Promise<Record<string, string>>;
  /** This instance's check-in workers. */
  workers(): RunningServer['workers'];
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface Conv {
  id: string;
  type: 'personal' | 'channel' | 'groupChat';
}

export const personal = (u: TestUser): Conv => ({ id: `a:1to1-${u.teamsId}`, type: 'personal' });

export async function startHarness(envOverrides: Record<string, string> = {}): Promise<Harness> {
  const connector = new ConnectorStandIn();
  await connector.start();
  const env: Record<string, string> = {
    AZURE_STORAGE_CONNECTION_STRING: connectionString(),
    TABLE_PREFIX: testPrefix(),
    PORT: '0',
    SCHEDULER_INTERVAL_SECONDS: '0',
    ...envOverrides,
  };
  let svc = createServices(loadConfig(env));
  let running: RunningServer = await startServer(svc);

  const h: Harness = {
    url: running.url,
    connector,
    svc,
    env,
    headers: async () => ({}),
    async post(activity, headers = {}) {
      const before = connector.activities.length;
      const res = await fetch(`${h.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(activity),
      });
      const body = await res.text();
      return { status: res.status, replies: connector.activities.slice(before), body };
    },
    async say(u, text, opts = {}) {
      const conv = opts.conversation ?? personal(u);
      connector.addMember({ id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId, userPrincipalName: upnOf(u) });
      if (conv.type === 'personal') connector.bindConversation(conv.id, u.aadObjectId);
      const entities: Array<Record<string, unknown>> = [];
      let fullText = text;
      if (conv.type !== 'personal') {
        fullText = `<at>${BOT.name}</at> ${text}`;
        entities.push({ type: 'mention', text: `<at>${BOT.name}</at>`, mentioned: BOT });
      }
      for (const m of opts.mentions ?? []) {
        connector.addMember({ id: m.teamsId, name: m.name, aadObjectId: m.aadObjectId, userPrincipalName: upnOf(m) });
        entities.push({ type: 'mention', text: `<at>${m.name}</at>`, mentioned: { id: m.teamsId, name: m.name } });
        fullText = fullText.replace(`@${m.name}`, `<at>${m.name}</at>`);
      }
      const { status, replies } = await h.post(activityFor(u, conv, { type: 'message', text: fullText, entities, locale: opts.locale ?? 'en-US' }), await h.headers());
      if (status >= 300) throw new Error(`bot answered HTTP ${status}`);
      return replies;
    },
    async submit(u, value, opts = {}) {
      const conv = opts.conversation ?? personal(u);
      connector.addMember({ id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId, userPrincipalName: upnOf(u) });
      if (conv.type === 'personal') connector.bindConversation(conv.id, u.aadObjectId);
      const { status, replies } = await h.post(
        activityFor(u, conv, { type: 'message', value, locale: opts.locale ?? 'en-US', replyToId: opts.replyToId }),
        await h.headers(),
      );
      if (status >= 300) throw new Error(`bot answered HTTP ${status}`);
      return replies;
    },
    workers: () => running.workers,
    async restart() {
      await running.stop();
      forgetContactCache();
      svc = createServices(loadConfig({ ...env, PORT: String(running.port) }));
      running = await startServer(svc);
      h.svc = svc;
      h.url = running.url;
    },
    async stop() {
      await running.stop();
      await connector.stop();
    },
  };

  function activityFor(u: TestUser, conv: Conv, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      channelId: 'msteams',
      serviceUrl: connector.url,
      id: `in-${Math.random().toString(36).slice(2)}`,
      timestamp: new Date().toISOString(),
      from: { id: u.teamsId, name: u.name, aadObjectId: u.aadObjectId },
      recipient: BOT,
      conversation: {
        id: conv.id,
        conversationType: conv.type,
        tenantId: u.tenantId,
        isGroup: conv.type !== 'personal' ? true : undefined,
      },
      channelData: {
        tenant: { id: u.tenantId },
        ...(conv.type === 'channel' ? { team: { id: '19:team@thread.tacv2' }, channel: { id: conv.id } } : {}),
      },
      ...extra,
    };
  }

  return h;
}
