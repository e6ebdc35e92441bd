// The channel tab's configuration page: pick the programme the tab shows. Inside Teams the
// choice is saved with pages.config.setConfig (Teams shows its own Save button); outside
// Teams (local mode) a Save button shows the resulting content URL and opens it.
import { getJson } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import type { TabConfig } from '../hostContext';
import type { ProgrammeListItem } from '../types';
import { announce, button, emptyState, failure, messageBar, select, spinner } from '../ui';
import type { Session } from '../session';

export function channelTabConfig(p: { id: string; name: string }, origin = location.origin): TabConfig {
  const url = `${origin}/tab/index.html?view=channel&programme=${encodeURIComponent(p.id)}`;
  return { entityId: `programme-${p.id}`, contentUrl: url, websiteUrl: url, suggestedDisplayName: p.name };
}

export async function renderConfig(root: HTMLElement, s: Session): Promise<void> {
  const title = h('h1', { tabindex: '-1' }, t('config.title'));
  replace(root, title, spinner(t('common.loading')));
  let programmes: ProgrammeListItem[];
  try {
    programmes = (await getJson<{ programmes: ProgrammeListItem[] }>('/api/programmes')).programmes.filter((p) => p.status !== 'closed');
  } catch (e) {
    replace(root, title, failure(e));
    return;
  }
  if (!programmes.length) {
    s.host?.configure?.(false, () => undefined);
    replace(root, title, emptyState(t('config.noProgrammesTitle'), t('config.noProgrammes')));
    return;
  }
  let chosen: ProgrammeListItem | undefined = programmes.find((p) => p.id === s.params.get('programme'));
  const getConfig = () => (chosen ? channelTabConfig(chosen) : undefined);
  const inTeams = !!s.host?.configure && !s.local;
  const result = h('div', { class: 'config-result', 'aria-live': 'polite' });
  const save = button(t('config.save'), () => {
    const c = getConfig();
    if (!c) return replace(result, messageBar('warning', t('config.chooseFirst')));
    replace(result, messageBar('success', t('config.saved', { name: c.suggestedDisplayName }), h('output', { class: 'content-url', 'data-content-url': c.contentUrl }, c.contentUrl)),
      h('div', { class: 'actions' }, h('fluent-anchor-button', { role: 'link', href: c.contentUrl, appearance: 'primary', 'data-action': 'open-tab' }, t('config.open'))));
    announce(t('config.saved', { name: c.suggestedDisplayName }));
  }, { appearance: 'primary', attrs: { 'data-action': 'save' } });
  const picker = select(t('config.pick'), programmes.map((p) => ({ value: p.id, text: p.name })), chosen?.id, (v) => {
    chosen = programmes.find((p) => p.id === v);
    replace(result);
    s.host?.configure?.(!!chosen, getConfig);
  }, t('config.choose'));
  s.host?.configure?.(!!chosen, getConfig);
  replace(
    root,
    title,
    h('div', { class: 'card stack', 'data-ready': 'config' },
      h('p', null, t('config.explain')),
      picker,
      inTeams ? h('p', { class: 'muted' }, t('config.teamsSave')) : h('div', { class: 'actions' }, save),
      result,
    ),
  );
}
