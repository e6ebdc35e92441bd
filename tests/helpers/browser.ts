// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the tab's
// browser tests and benchmark, and a stand-in for the Teams host: a small parent page at the
// tab's own origin that frames the tab and answers the teams-js postMessage protocol
// (initialize, getContext, getAuthToken, settings.*, themeChange), so the tab runs its real
// Teams code path, SSO included.
import * as fs from 'fs';
import * as path from 'path';
import { chromium, Browser, BrowserContext, ConsoleMessage, Frame, Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(__dirname, '..', '..', 'test-output', 'tab');

// See STACK.md: without the networking flags Chromium floods the closed network.
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-default-apps', '--disable-extensions', '--mute-audio',
];

export function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  // playwright gives every launch a fresh temporary profile (user data dir).
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}

export interface PageOptions {
  width?: number;
  height?: number;
  locale?: string;
  /** Origin of the server under test: any request elsewhere is refused and reported. */
  origin: string;
  forcedColors?: 'active' | 'none';
  colorScheme?: 'light' | 'dark';
  /**
   * Keep the browser's HTTP cache on. Playwright turns it off for a context that routes requests,
   * so such a page does not route: a request outside the origin is then reported, not answered
   * (outside Teams, where the tab loads no teams-js, there is none).
   */
  httpCache?: boolean;
}

export interface TabPage {
  context: BrowserContext;
  page: Page;
  /** Console errors, uncaught exceptions, failed requests, requests outside the origin. */
  problems: string[];
  /** Console warnings (reported, not fatal). */
  warnings: string[];
  /** Calls to the server's /api/, from any frame: method, path with query, Authorization header, status. */
  api: Array<{ method: string; path: string; authorization?: string; localUser?: string; status?: number }>;
  close(): Promise<void>;
}

/** The valid-origins list teams-js fetches from its CDN on load; answered locally. */
const TEAMS_CDN = 'https://res.cdn.office.net/';

export async function openPage(browser: Browser, o: PageOptions): Promise<TabPage> {
  const context = await browser.newContext({
    viewport: { width: o.width ?? 1280, height: o.height ?? 900 },
    locale: o.locale ?? 'en-US',
    forcedColors: o.forcedColors,
    colorScheme: o.colorScheme,
    acceptDownloads: true,
    serviceWorkers: 'block',
  });
  const problems: string[] = [];
  const warnings: string[] = [];
  const api: TabPage['api'] = [];
  const outside = (url: string) => !url.startsWith(o.origin + '/') && !url.startsWith('data:') && !url.startsWith('blob:');
  if (o.httpCache) {
    context.on('request', (r) => outside(r.url()) && problems.push(`request outside the server: ${r.url()}`));
  } else {
    await context.route(
      (url) => !url.href.startsWith(o.origin + '/'),
      async (route) => {
        const url = route.request().url();
        if (url.startsWith(TEAMS_CDN)) {
          return route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com'] }) });
        }
        if (!outside(url)) return route.continue();
        problems.push(`request outside the server: ${url}`);
        return route.fulfill({ status: 404, body: '' });
      },
    );
  }
  const page = await context.newPage();
  const where = (m: ConsoleMessage) => {
    const l = m.location();
    return l?.url ? ` (${l.url}:${l.lineNumber})` : '';
  };
  page.on('console', (m) => {
    // A page opened on its own asks for /favicon.ico (a page in Teams' frame does not); the tab has none.
    if (m.type() === 'error' && m.location()?.url?.endsWith('/favicon.ico')) return;
    if (m.type() === 'error') problems.push(`console error: ${m.text()}${where(m)}`);
    else if (m.type() === 'warning') warnings.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => {
    // A download handed to the browser is "aborted" for the page; that is not a failure.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && r.url().startsWith('blob:')) return;
    problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', async (r) => {
    const url = new URL(r.url());
    if (url.origin !== o.origin || !url.pathname.startsWith('/api/')) return;
    // The page may close while the headers are read (a test ends): nothing left to record then.
    const headers = await r.request().allHeaders().catch(() => undefined);
    if (!headers) return;
    api.push({ method: r.request().method(), path: url.pathname + url.search, authorization: headers.authorization, localUser: headers['x-local-user'], status: r.status() });
  });
  return { context, page, problems, warnings, api, close: () => context.close() };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page scrolls sideways (content wider than the viewport)? Reports the widest offenders. */
export async function horizontalOverflow(target: Page | Frame): Promise<{ scrollWidth: number; clientWidth: number; offenders: string[] }> {
  return target.evaluate(() => {
    const doc = document.documentElement;
    const width = doc.clientWidth;
    const offenders: string[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body *'))) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1 && !el.closest('.table-wrap')) {
        offenders.push(`${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : ''} right=${Math.round(r.right)}`);
      }
    }
    return { scrollWidth: doc.scrollWidth, clientWidth: width, offenders: offenders.slice(0, 10) };
  });
}

// ---------------------------------------------------------------------------------------------
// The Teams host stand-in

/** The context Teams hands to a tab (the legacy flat shape teams-js converts to app.getContext()). */
export interface TeamsContext {
  userObjectId: string;
  tid: string;
  locale?: string;
  theme?: 'default' | 'dark' | 'contrast';
  frameContext?: 'content' | 'settings';
  channelId?: string;
  teamId?: string;
  entityId?: string;
  /** A deep link's sub-page (teams-js gives it to the tab as page.subPageId). */
  subEntityId?: string;
  userPrincipalName?: string;
}

export interface HostState {
  /** Every message the tab sent, in order: func and args. */
  log: Array<{ func: string; args: unknown[] }>;
  validity: boolean | null;
  settings: Record<string, unknown> | null;
  save: { ok: boolean; reason?: string } | null;
  handlers: string[];
  app: 'loaded' | 'success' | 'failure' | null;
  links: string[];
  tokens: number;
}

export interface TeamsHost {
  /** The tab's frame (the tab runs inside it). */
  frame(): Promise<Frame>;
  state(): Promise<HostState>;
  /** Teams' Save button on the configuration dialog. */
  pressSave(): Promise<void>;
  /** The user switches the Teams theme. */
  setTheme(theme: 'default' | 'dark' | 'contrast'): Promise<void>;
  /** A full-length screenshot of the tab (the frame stretched to its content's height). */
  screenshot(name: string): Promise<string>;
}

const HOST_PATH = '/__teams-host.html';

/** The runtime a current Teams web client declares (apiVersion 4), trimmed to what the tab may use. */
const RUNTIME = {
  apiVersion: 4,
  isLegacyTeams: false,
  hostVersionsInfo: { adaptiveCardSchemaVersion: { majorVersion: 1, minorVersion: 5 } },
  supports: { appInstallDialog: {}, chat: {}, dialog: { url: {}, card: {} }, pages: { appButton: {}, tabs: {}, config: {}, backStack: {} }, teamsCore: {} },
};

function hostPage(src: string, frameContext: string, context: TeamsContext): string {
  const cfg = JSON.stringify({ src, frameContext, context, runtime: JSON.stringify(RUNTIME) });
  // Plain script, run in the parent page. Message shapes follow teams-js 2.x communication.js:
  // requests {id, uuidAsString, func, args}; answers {id, uuidAsString, args}; events {func, args}.
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Teams host stand-in</title>
<style>html,body{margin:0;height:100%}iframe{border:0;width:100%;height:100%;display:block}</style></head>
<body><iframe id="tab" title="Reverse Mentor"></iframe><script>
const cfg = ${cfg.replace(/</g, '\\u003c')};
const frame = document.getElementById('tab');
const state = window.__host = { log: [], validity: null, settings: null, save: null, handlers: [], app: null, links: [], tokens: 0 };
const post = (data) => frame.contentWindow.postMessage(data, location.origin);
window.__hostSave = () => post({ func: 'settings.save', args: [{}] });
window.__hostTheme = (t) => post({ func: 'themeChange', args: [t] });
window.addEventListener('message', async (e) => {
  if (e.source !== frame.contentWindow || e.origin !== location.origin) return;
  const m = e.data;
  if (!m || typeof m.func !== 'string') return;
  state.log.push({ func: m.func, args: m.args || [] });
  const reply = (...args) => post({ id: m.id, uuidAsString: m.uuidAsString, args });
  switch (m.func) {
    case 'initialize': return reply(cfg.frameContext, 'web', cfg.runtime, '2.58.0');
    case 'getContext': return reply(Object.assign({ frameContext: cfg.frameContext, hostClientType: 'web', appSessionId: 'session-1' }, cfg.context));
    case 'authentication.getAuthToken':
      try { state.tokens++; return reply(true, await window.__teamsToken()); } catch (err) { return reply(false, String(err)); }
    case 'settings.setValidityState': state.validity = !!m.args[0]; return;
    case 'settings.setSettings': state.settings = m.args[0]; return reply(true);
    case 'settings.getSettings': return reply(state.settings || {});
    case 'settings.save.success': state.save = { ok: true }; return;
    case 'settings.save.failure': state.save = { ok: false, reason: m.args[0] }; return;
    case 'registerHandler': state.handlers.push(m.args[0]); return;
    case 'appInitialization.appLoaded': state.app = state.app || 'loaded'; return;
    case 'appInitialization.success': state.app = 'success'; return;
    case 'appInitialization.failure': case 'appInitialization.expectedFailure': state.app = 'failure'; return;
    case 'executeDeepLink': state.links.push(m.args[0]); return reply(true);
    default: return; // one-way notifications the stand-in does not model
  }
});
frame.src = cfg.src;
</script></body></html>`;
}

/**
 * Opens `tabPath` (e.g. /tab/config.html) inside the Teams host stand-in. `token` is asked for on
 * every authentication.getAuthToken, as Teams would hand out the user's SSO token.
 */
export async function openInTeams(
  tp: TabPage,
  origin: string,
  tabPath: string,
  context: TeamsContext,
  token: () => Promise<string>,
): Promise<TeamsHost> {
  const { page } = tp;
  const html = hostPage(origin + tabPath, context.frameContext ?? 'content', context);
  await page.route(origin + HOST_PATH, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  await page.exposeFunction('__teamsToken', token);
  await page.goto(origin + HOST_PATH);
  const frame = async () => {
    for (let i = 0; i < 100; i++) {
      const f = page.frames().find((x) => x.url().startsWith(origin + tabPath.split('?')[0]));
      if (f) return f;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the tab frame ${tabPath} did not load`);
  };
  return {
    frame,
    state: () => page.evaluate(() => JSON.parse(JSON.stringify((window as unknown as { __host: HostState }).__host)) as HostState),
    pressSave: () => page.evaluate(() => (window as unknown as { __hostSave(): void }).__hostSave()),
    setTheme: (theme) => page.evaluate((t) => (window as unknown as { __hostTheme(t: string): void }).__hostTheme(t), theme),
    async screenshot(name) {
      const height = await (await frame()).evaluate(() => document.documentElement.scrollHeight);
      await page.evaluate((px) => (document.getElementById('tab')!.style.height = `${px}px`), height);
      try {
        return await screenshot(page, name);
      } finally {
        await page.evaluate(() => (document.getElementById('tab')!.style.height = ''));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Keyboard

export interface FocusStop {
  tag: string;
  role: string;
  /** The accessible name as a screen reader would announce it (aria-label, labelledby, label, content). */
  name: string;
  /** True when the element is visible on screen while focused. */
  visible: boolean;
}

/**
 * Presses Tab from the top of the page until focus comes round again and describes every element
 * that got focus (looking inside shadow roots, where Fluent components keep their native buttons).
 */
export async function tabWalk(page: Page, max = 400): Promise<FocusStop[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    (window as unknown as { __seen: Element[] }).__seen = [];
  });
  const stops: FocusStop[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
      if (!el || el === document.body) return null;
      const seen = (window as unknown as { __seen: Element[] }).__seen;
      if (seen.includes(el)) return 'again';
      seen.push(el);
      const root = el.getRootNode();
      const host = root instanceof ShadowRoot ? root.host : null;
      const text = (n: Node | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
      const name = (): string => {
        const label = el!.getAttribute('aria-label');
        if (label?.trim()) return label.trim();
        const by = el!.getAttribute('aria-labelledby');
        if (by) {
          const scope = root as Document | ShadowRoot;
          return by.split(/\s+/).map((id) => text(scope.getElementById(id))).join(' ').trim();
        }
        const labels = (el as HTMLSelectElement).labels;
        if (labels?.length) return Array.from(labels).map((l) => text(l)).join(' ');
        if (host) {
          const slot = el!.querySelector('slot');
          const slotted = slot ? slot.assignedNodes({ flatten: true }).map((n) => text(n)).join(' ').trim() : '';
          if (slotted) return slotted;
          return (host.getAttribute('aria-label') ?? text(host)).trim();
        }
        return text(el);
      };
      const tag = el.tagName.toLowerCase();
      const implicit: Record<string, string> = { button: 'button', 'fluent-button': 'button', 'fluent-anchor-button': 'link', a: 'link', select: 'combobox', summary: 'summary', input: 'textbox' };
      const r = (host ?? el).getBoundingClientRect();
      const visible = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
      return { tag: host ? `${host.tagName.toLowerCase()}>${tag}` : tag, role: el.getAttribute('role') ?? implicit[tag] ?? tag, name: name(), visible };
    });
    if (stop === 'again') break;
    if (stop) stops.push(stop);
  }
  return stops;
}
