// Entry point of every tab page: connect to Teams (or local mode), then render the view.
import './fluent';
import { getJson } from './api';
import { prefetchCatalogue } from './catalogue';
import { h, replace } from './dom';
import { t } from './i18n';
import { boot, localBanner, Session } from './session';
import type { Me } from './types';
import { failure, messageBar } from './ui';
import { renderAdmin } from './views/admin';
import { renderChannel } from './views/channel';
import { renderConfig } from './views/config';
import { renderData } from './views/data';
import { renderMenteePage, renderPersonal } from './views/personal';
import { renderSchedule } from './views/schedule';

async function start(): Promise<void> {
  const root = document.getElementById('main')!;
  const banner = document.getElementById('local-banner')!;
  const page = document.body.dataset.page ?? 'app';
  const b = await boot();
  document.title = `${t(page === 'config' ? 'config.title' : 'app.name')} · Reverse Mentor`;
  if (b.kind === 'error') return void replace(root, failure(b.error));
  if (b.kind === 'not-in-teams') return void replace(root, h('h1', { tabindex: '-1' }, t('app.name')), messageBar('info', t('app.openInTeamsTitle'), t('app.openInTeams')));
  const s: Session = b.session;
  if (s.config.localMode) {
    banner.hidden = false;
    replace(banner, await localBanner(s));
  }
  if (b.kind === 'choose-identity') {
    return void replace(root, h('h1', { tabindex: '-1' }, t('app.name')), messageBar('info', t('local.chooseTitle'), t('local.chooseExplain')));
  }
  await render(root, s, page);
  root.setAttribute('aria-busy', 'false');
  s.host?.ready();
}

async function render(root: HTMLElement, s: Session, page: string): Promise<void> {
  if (page === 'config') return renderConfig(root, s);
  const view = viewOf(s);
  if (view === 'data') return renderData(root);
  if (view === 'channel') return renderChannel(root, s);
  // Ladders need the catalogue's words: ask for them now, alongside whatever the view asks first.
  if (view !== 'admin') prefetchCatalogue(s.config.catalogue);
  if (view === 'mentee') return renderMenteePage(root, s);
  if (view === 'schedule') return renderSchedule(root, s);
  let me: Me;
  try {
    me = await getJson<Me>('/api/me');
  } catch (e) {
    return void replace(root, failure(e));
  }
  if (view === 'admin') return renderAdmin(root, s, me);
  return renderPersonal(root, s, me);
}

/**
 * Which view: the URL's, unless a deep link into a Teams tab named a sub-page (the bot's "my data"
 * and "export" cards open "my-data" and "programme:<id>").
 */
function viewOf(s: Session): string {
  const sub = s.context.subPageId ?? '';
  if (sub === 'my-data') return 'data';
  // The bot's "Find a time" buttons open "schedule:<programme>:<partner>".
  const schedule = /^schedule:([^:]+):(.+)$/.exec(sub);
  if (schedule && !s.params.has('view')) {
    s.params.set('programme', schedule[1]);
    s.params.set('partner', schedule[2]);
    return 'schedule';
  }
  const programme = /^programme:(.+)$/.exec(sub)?.[1];
  if (programme && !s.params.has('programme')) s.params.set('programme', programme);
  return s.params.get('view') ?? 'ladder';
}

void start().finally(() => document.getElementById('main')?.setAttribute('aria-busy', 'false'));
