// Buttons into the app's tabs. In Teams a deep link opens the tab signed in as whoever clicks
// (so a forwarded card shows the clicker's own data, never the sender's); without the Teams app
// id (local mode) the tab's page on this server.
import type { Config } from '../config';

export type TabPage = { view: 'ladder' } | { view: 'data' } | { view: 'admin'; programmeId: string };

/** The personal tab a page lives in, and the sub-page id the tab reads from its Teams context. */
const ENTITY: Record<TabPage['view'], string> = { ladder: 'ladder', data: 'ladder', admin: 'admin' };

function subPage(page: TabPage): string | undefined {
  if (page.view === 'data') return 'my-data';
  if (page.view === 'admin') return `programme:${page.programmeId}`;
  return undefined;
}

export function tabLink(config: Pick<Config, 'teamsAppId' | 'publicUrl'>, page: TabPage): string {
  const sub = subPage(page);
  if (config.teamsAppId) {
    const context = sub ? `?context=${encodeURIComponent(JSON.stringify({ subEntityId: sub }))}` : '';
    return `https://teams.microsoft.com/l/entity/${encodeURIComponent(config.teamsAppId)}/${ENTITY[page.view]}${context}`;
  }
  const q = new URLSearchParams({ view: page.view, ...(page.view === 'admin' ? { programme: page.programmeId } : {}) });
  return `${config.publicUrl}/tab/index.html?${q.toString()}`;
}
