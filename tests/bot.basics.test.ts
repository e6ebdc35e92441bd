import { cardOf, textOf } from './connector/connector';
import { BOT, Harness, personal, startHarness, TENANT, user } from './helpers/harness';

describe('bot basics over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('answers help with a help card listing the commands, with or without slash', async () => {
    const alice = user('Alice');
    for (const text of ['help', '/help', 'HELP']) {
      const replies = await h.say(alice, text);
      expect(replies).toHaveLength(1);
      const card = cardOf(replies[0]);
      expect(card?.type).toBe('AdaptiveCard');
      const text_ = textOf(replies[0]);
      expect(text_).toContain('What I can do');
      expect(text_).toContain('my pair');
      expect(text_).toContain('forget me');
      // Non-admins are not shown admin commands.
      expect(text_).not.toContain('knowledge map');
    }
  });

  it('answers help when @mentioned in a channel, replying in that channel', async () => {
    const bob = user('Bob');
    const channel = { id: '19:general@thread.tacv2', type: 'channel' as const };
    const replies = await h.say(bob, 'help', { conversation: channel });
    expect(replies).toHaveLength(1);
    expect(replies[0].conversationId).toBe(channel.id);
    expect(textOf(replies[0])).toContain('What I can do');
  });

  it('answers an unknown command with help and the closest match', async () => {
    const replies = await h.say(user('Carol'), 'hlep');
    expect(replies).toHaveLength(1);
    const text = textOf(replies[0]);
    expect(text).toContain('I don\'t know "hlep"');
    expect(text).toContain('Did you mean "help"?');
  });

  it('speaks German and Dutch from the Teams locale, English otherwise', async () => {
    const dora = user('Dora');
    expect(textOf((await h.say(dora, 'help', { locale: 'de-DE' }))[0])).toContain('Was ich kann');
    expect(textOf((await h.say(dora, 'help', { locale: 'nl-NL' }))[0])).toContain('Wat ik kan');
    expect(textOf((await h.say(dora, 'help', { locale: 'fr-FR' }))[0])).toContain('What I can do');
  });

  it('greets on install with a welcome card and stores the conversation reference', async () => {
    const erin = user('Erin');
    const conv = personal(erin);
    h.connector.bindConversation(conv.id, erin.aadObjectId);
    const { status, replies } = await h.post({
      type: 'conversationUpdate',
      channelId: 'msteams',
      serviceUrl: h.connector.url,
      from: { id: erin.teamsId, name: erin.name, aadObjectId: erin.aadObjectId },
      recipient: BOT,
      conversation: { id: conv.id, conversationType: 'personal', tenantId: TENANT },
      channelData: { tenant: { id: TENANT } },
      membersAdded: [{ id: BOT.id }],
      locale: 'en-US',
    });
    expect(status).toBe(200);
    expect(replies).toHaveLength(1);
    expect(textOf(replies[0])).toContain('Welcome to Reverse Mentor');
    const stored = await h.svc.store.users.get(TENANT, erin.aadObjectId);
    expect(stored?.value.name).toBe('Erin');
    expect(JSON.parse(stored!.value.conversationRef!).conversation.id).toBe(conv.id);
  });

  it('the stored reference lets the bot message a person proactively', async () => {
    const fay = user('Fay');
    await h.say(fay, 'help');
    const sent = await h.svc.notifier.sendToUser(TENANT, fay.aadObjectId, 'Your pair is ready');
    expect(sent.conversationId).toBe(personal(fay).id);
    expect(h.connector.sentTo(fay.aadObjectId).some((a) => a.activity.text === 'Your pair is ready')).toBe(true);
  });

  it('reports storage reachability on /healthz', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', storage: 'reachable' });
  });

  it('serves the tab: only Teams may frame it, and the bundle goes compressed to browsers that accept gzip', async () => {
    const { gunzipSync } = await import('zlib');
    const http = await import('http');
    // fetch() always asks for gzip and unpacks it; a raw request shows what goes over the wire.
    const get = (path: string, encoding?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
        http.get(`${h.url}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const plain = await get('/tab/main.js');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/javascript/);
    const zipped = await get('/tab/main.js', 'gzip, deflate');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['content-type']).toMatch(/javascript/);
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    const page = await get('/tab/index.html', 'gzip');
    expect(String(page.headers['content-security-policy'])).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    expect(gunzipSync(page.body).toString()).toContain('<main id="main"');
  });

  it('refuses a card from an unknown or stale form with a message', async () => {
    const replies = await h.submit(user('Gus'), { verb: 'no-such-form', x: 1 });
    expect(textOf(replies[0])).toContain('out of date');
  });
});
