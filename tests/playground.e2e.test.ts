// End to end in a Teams-like client: Azurite (jest globalSetup), the real server, and the
// Microsoft 365 Agents Playground, driven through its UI with headless Chromium the way a
// person uses Teams: type commands, fill and submit Adaptive Cards, @mention the bot in a
// channel. The Playground signs in one fixed user, so each person gets their own Playground
// (see bot/dev/playground.ts). Screenshots: test-output/playground/.
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import { PLAYGROUND_USER } from '../bot/dev/playground';
import { participantIn } from '../bot/services/participants';
import { listProgrammes } from '../bot/services/programmes';
import { CHROMIUM, E2E, OUT_DIR, PlaygroundClient, startE2E } from './helpers/playground';

// From .m365agentsplayground.yml: the tenant and Megan Bowen's Entra object id.
const TENANT = '5e1d0c7a-0000-4000-8000-00000000c0de';
const MEGAN = 'a1e70000-0000-4000-8000-000000000021';
const PROGRAMME = 'Digital Leaders';

jest.setTimeout(60000);

describe('Agents Playground, end to end', () => {
  let e2e: E2E;
  let alex: PlaygroundClient;
  let megan: PlaygroundClient;

  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`);
    e2e = await startE2E();
    [alex, megan] = await Promise.all([e2e.client('Alex Wilber'), e2e.client('Megan Bowen')]);
  }, 90000);

  afterAll(async () => {
    await e2e?.stop();
  });

  it('help shows the help card, with the admin commands for the local admin', async () => {
    await alex.say('help');
    const card = await alex.botCard('What I can do');
    await expect(card.innerText()).resolves.toMatch(/For programme admins[\s\S]*programme new/);
    await alex.shot('1-help');
  });

  it('the admin creates a programme through the programme new card', async () => {
    await alex.say('programme new');
    const form = await alex.botCard('Create programme');
    await form.getByRole('textbox', { name: 'Name' }).fill(PROGRAMME);
    await form.getByRole('textbox', { name: 'Objectives' }).fill('Senior managers learn the digital workplace from apprentices.');
    await form.getByRole('checkbox', { name: '3 Social media principles' }).check();
    await alex.choose(form, 'Check-in day', 'Tuesday');
    await alex.shot('2-programme-form');
    await form.getByRole('button', { name: 'Create programme' }).click();

    // The form is replaced in place by the summary.
    await alex.botCard(`Programme "${PROGRAMME}" created as a draft`);
    expect(await alex.page.getByRole('button', { name: 'Create programme' }).count()).toBe(0);
    await alex.shot('3-programme-created');

    const [programme] = await listProgrammes(e2e.svc, TENANT);
    expect(programme).toMatchObject({ name: PROGRAMME, status: 'draft', createdBy: PLAYGROUND_USER, levels: [1, 2, 3], checkinWeekday: 'tue' });
  });

  it('the admin opens it in the team channel by @mentioning the bot; the Join card is posted there', async () => {
    await alex.openChannel('General');
    await alex.postMentioningBot('Reverse Mentor', 'programme open');
    await alex.botCard(`Programme "${PROGRAMME}" is open for enrolment`);
    const card = await alex.botCard(`Reverse mentoring: ${PROGRAMME}`);
    await expect(card.getByRole('button', { name: 'Join' }).isVisible()).resolves.toBe(true);
    await alex.shot('4-programme-open-in-channel');

    const [programme] = await listProgrammes(e2e.svc, TENANT);
    expect(programme).toMatchObject({ status: 'open', channelConversationId: expect.any(String) });
  });

  it('in a group chat the bot answers when @mentioned', async () => {
    await alex.openGroupChat();
    await alex.sayMentioningBot('Reverse Mentor', 'help');
    await alex.botCard('What I can do');
    await alex.shot('5-group-chat-help');
  });

  it("a user's welcome card buttons work: help shows the help card without admin commands", async () => {
    const welcome = await megan.botCard('Welcome to Reverse Mentor');
    await welcome.getByRole('button', { name: 'help' }).click();
    const card = await megan.botCard('What I can do');
    const text = await card.innerText();
    expect(text).toContain('join');
    expect(text).not.toContain('For programme admins');
  });

  it('a user who is not an admin is told so', async () => {
    await megan.say('programme new');
    await megan.botCard('"programme new" is for programme admins. Nothing was changed.');
  });

  it('a user joins through the profile card', async () => {
    await megan.say('join');
    const form = await megan.botCard(`Join ${PROGRAMME}`);
    await form.getByText('Mentee: I want to learn the digital workplace').click();
    await form.getByRole('textbox', { name: 'Department' }).fill('Sales');
    await megan.choose(form, 'Seniority', 'Director');
    await megan.chooseMany(form, 'Languages', ['EN', 'DE']);
    await megan.choose(form, 'Time zone', 'Europe/Berlin');
    await megan.chooseMany(form, 'Preferred days', ['Tuesday', 'Thursday']);
    for (const level of ['1 Platform first steps', '2 Social media & digital workplace in the company', '3 Social media principles', '4 Digital workplace collaboration', '5 Digital collaboration for leaders']) {
      await megan.choose(form, level, '1 - basic');
    }
    await form.getByRole('checkbox', { name: '2 Social media & digital workplace in the company' }).check();
    await form.getByRole('checkbox', { name: /I agree that Reverse Mentor stores/ }).check();
    await megan.shot('6-profile-form');
    await form.getByRole('button', { name: 'Save' }).click();

    const profile = await megan.botCard(`Welcome to ${PROGRAMME}! You are in as Mentee.`);
    await expect(profile.innerText()).resolves.toMatch(/Department\s+Sales[\s\S]*Languages\s+EN, DE/);
    await megan.shot('7-joined');

    const [programme] = await listProgrammes(e2e.svc, TENANT);
    const me = await participantIn(e2e.svc, TENANT, programme.id, MEGAN);
    expect(me).toMatchObject({ name: 'Megan Bowen', role: 'mentee', status: 'active', department: 'Sales', seniority: 'director', languages: ['en', 'de'], wantLevels: [2] });
  });

  it("the channel card's Join button sends the profile card privately to the person's 1:1 chat", async () => {
    await alex.openChannel('General');
    const card = await alex.botCard(`Reverse mentoring: ${PROGRAMME}`);
    await card.getByRole('button', { name: 'Join' }).click();
    await alex.botCard('Alex Wilber, I sent you the form in our 1:1 chat.');
    await alex.shot('8-join-from-channel');
    await alex.openPersonalChat();
    await alex.botCard(`Join ${PROGRAMME}`);
    await alex.shot('9-profile-form-in-personal-chat');
  });

  it('every answer was an Adaptive Card, rendered with no script errors in the Playground', async () => {
    const messages = e2e.sent.filter((a) => a.type === 'message');
    expect(messages.length).toBeGreaterThanOrEqual(12);
    for (const m of messages) {
      expect(m.text ?? '').toBe('');
      expect(m.attachments?.map((a) => a.contentType)).toEqual(['application/vnd.microsoft.card.adaptive']);
    }
    // Replies went to the 1:1 chats, the channel and the group chat.
    expect(new Set(messages.map((m) => m.conversationType))).toEqual(new Set(['personal', 'channel', 'groupChat']));
    for (const c of [alex, megan]) {
      expect(c.pageErrors).toEqual([]);
      expect(await c.cardCount()).toBeGreaterThan(2);
    }
    expect(fs.readdirSync(OUT_DIR).filter((f) => f.endsWith('.png')).length).toBeGreaterThanOrEqual(9);
  });

  it('the Playground, like the local server, listens on loopback only', async () => {
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    const reach = (host: string) =>
      new Promise<boolean>((resolve) => {
        const s = net.connect(alex.playground.port, host, () => (s.destroy(), resolve(true)));
        s.on('error', () => resolve(false));
      });
    expect(await reach('127.0.0.1')).toBe(true);
    if (external) expect(await reach(external.address)).toBe(false);
  });
});
