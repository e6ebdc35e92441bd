// End-to-end harness: the real server on the shared Azurite, one Microsoft 365 Agents
// Playground per person (the Playground signs in one fixed user and cannot switch), and
// headless Chromium typing into them as a person would.
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { freePort } from '../../bot/dev/azurite';
import { PLAYGROUND_USER, PlaygroundHandle, playgroundConfigAs, REPO_ROOT, startPlayground } from '../../bot/dev/playground';
import { loadConfig } from '../../bot/config';
import { createServices, RunningServer, startServer } from '../../bot/startup';
import { connectionString, testPrefix } from './storage';

export const OUT_DIR = path.join(REPO_ROOT, 'test-output', 'playground');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long to wait for the bot's answer to show up in the Playground. */
export const ANSWER_TIMEOUT = 20000;

/** Flags from STACK.md: without the networking ones it floods a closed network with retries. */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What the bot sent (replies and proactive messages), as it left the adapter. */
export interface SentActivity {
  type?: string;
  text?: string;
  attachments?: Array<{ contentType?: string; content?: unknown }>;
  conversationType?: string;
}

export interface E2E {
  server: RunningServer;
  sent: SentActivity[];
  svc: ReturnType<typeof createServices>;
  browser: Browser;
  /** Opens the Playground of a configured user ("Alex Wilber" is the default current user). */
  client(user: string): Promise<PlaygroundClient>;
  stop(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  fs.rmSync(OUT_DIR, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const svc = createServices(
    loadConfig({
      AZURE_STORAGE_CONNECTION_STRING: connectionString(),
      TABLE_PREFIX: testPrefix(),
      PORT: '0',
      BOT_ADMINS: PLAYGROUND_USER,
      SCHEDULER_INTERVAL_SECONDS: '0',
    }),
  );
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  const sent: SentActivity[] = [];
  svc.adapter.use(async (context, next) => {
    context.onSendActivities(async (_ctx, activities, send) => {
      for (const a of activities) {
        sent.push({ type: a.type, text: a.text, attachments: a.attachments, conversationType: a.conversation?.conversationType ?? context.activity.conversation?.conversationType });
      }
      return send();
    });
    await next();
  });
  try {
    const server = await startServer(svc, '127.0.0.1');
    cleanups.push(() => server.stop());
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    cleanups.push(() => browser.close());
    const e2e: E2E = {
      server,
      sent,
      svc,
      browser,
      async client(user) {
        const slug = user.toLowerCase().replace(/\W+/g, '-');
        let configFile: string | undefined;
        if (user !== 'Alex Wilber') {
          configFile = path.join(OUT_DIR, `${slug}.m365agentsplayground.yml`);
          fs.writeFileSync(configFile, playgroundConfigAs(user));
        }
        const playground: PlaygroundHandle = await startPlayground({
          botEndpoint: `${server.url}/api/messages`,
          port: await freePort(),
          configFile,
          logFile: path.join(OUT_DIR, `${slug}.log`),
        });
        cleanups.push(() => playground.stop());
        const page = await browser.newPage({ viewport: { width: 1280, height: 1700 } });
        cleanups.push(() => page.close());
        const c = new PlaygroundClient(page, playground, slug);
        await c.open();
        return c;
      },
      stop,
    };
    return e2e;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** One person's Playground in a browser tab, driven through the UI only. */
export class PlaygroundClient {
  /** Script errors in the Playground page (e.g. a card action it cannot handle). */
  readonly pageErrors: string[] = [];

  constructor(
    readonly page: Page,
    readonly playground: PlaygroundHandle,
    readonly slug: string,
  ) {
    page.on('pageerror', (err) => this.pageErrors.push(err.message));
  }

  /** Loads the Playground; it installs the bot in the 1:1 chat, and the bot says welcome. */
  async open(): Promise<void> {
    await this.page.goto(this.playground.url, { waitUntil: 'domcontentloaded' });
    await this.page.getByText('Personal Chat', { exact: true }).click();
    await this.botCard('Welcome to Reverse Mentor');
  }

  /** Back to the 1:1 chat with the bot. */
  async openPersonalChat(): Promise<void> {
    await this.page.getByText('Personal Chat', { exact: true }).click();
    await this.botCard('Welcome to Reverse Mentor');
  }

  /** Switches to the configured group chat (the bot is installed there on first visit). */
  async openGroupChat(): Promise<void> {
    await this.page.getByText('Group Chat', { exact: true }).click();
    await this.botCard('Welcome to Reverse Mentor');
  }

  /** In a group chat: @mentions the bot (picked from the mention menu), types the rest, Enter. */
  async sayMentioningBot(botName: string, text: string): Promise<void> {
    await this.composer().click();
    await this.mention(botName);
    await this.page.keyboard.type(` ${text}`);
    await this.page.keyboard.press('Enter');
  }

  private async mention(botName: string): Promise<void> {
    await this.page.keyboard.type(`@${botName.slice(0, 3)}`);
    await this.page.getByRole('menuitem', { name: botName }).click();
  }

  /** Switches to a channel of the configured team (the bot is installed there on first visit). */
  async openChannel(name: string): Promise<void> {
    await this.page.getByText(name, { exact: true }).click();
    await this.page.getByRole('button', { name: 'Post' }).waitFor();
    await this.botCard('Welcome to Reverse Mentor');
  }

  /** The compose box of a chat (the only one in a 1:1 chat). */
  private composer(): Locator {
    return this.page.locator('[data-lexical-editor="true"]').last();
  }

  /** Types into the 1:1 chat's compose box and presses Enter, as a person would. */
  async say(text: string): Promise<void> {
    await this.composer().click();
    await this.page.keyboard.type(text);
    await this.page.keyboard.press('Enter');
  }

  /** Starts a new channel post that @mentions the bot (picked from the mention menu), then posts. */
  async postMentioningBot(botName: string, text: string): Promise<void> {
    const box = this.page.locator('[data-lexical-editor="true"]').first();
    await box.click();
    await this.mention(botName);
    await this.page.keyboard.type(` ${text}`);
    await this.page.getByRole('button', { name: 'Post' }).click();
  }

  /** The most recent Adaptive Card (rendered by the Playground) whose text matches. */
  async botCard(text: string | RegExp, timeout = ANSWER_TIMEOUT): Promise<Locator> {
    const card = this.page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();
    await card.waitFor({ state: 'visible', timeout });
    return card;
  }

  async cardCount(): Promise<number> {
    return this.page.locator('.ac-adaptiveCard').count();
  }

  /** Saves a screenshot of the whole Playground window under test-output/playground/. */
  async shot(name: string): Promise<string> {
    const file = path.join(OUT_DIR, `${this.slug}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** Ticks options of a multi-select ChoiceSet (a combobox with a checkbox menu), then closes it. */
  async chooseMany(card: Locator, label: string | RegExp, options: string[]): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    for (const o of options) await this.page.getByRole('menuitemcheckbox', { name: o, exact: true }).click();
    await this.page.keyboard.press('Escape');
  }

  /** Picks an option of a Fluent combobox (an Adaptive Card ChoiceSet in compact style). */
  async choose(card: Locator, label: string | RegExp, option: string): Promise<void> {
    await card.getByRole('combobox', { name: label }).click();
    await this.page.getByRole('option', { name: option, exact: true }).click();
  }
}
