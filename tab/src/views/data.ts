// "My data": the signed-in person downloads everything stored about them. The bot's "my data"
// card opens this page; the file comes through the SSO-authenticated API, so whoever opens the
// page gets their own data, never the sender's of a forwarded card.
import { download } from '../api';
import { h, replace } from '../dom';
import { t } from '../i18n';
import { announce, button, failure, section } from '../ui';

export function renderData(root: HTMLElement): void {
  const result = h('div', { class: 'result' });
  const get = button(t('data.download'), async () => {
    get.setAttribute('disabled', '');
    replace(result);
    try {
      await download('/api/me/data', 'reverse-mentor-my-data.json');
      announce(t('data.downloaded'));
      replace(result, h('p', { class: 'muted' }, t('data.downloaded')));
    } catch (e) {
      replace(result, failure(e));
    } finally {
      get.removeAttribute('disabled');
    }
  }, { appearance: 'primary', attrs: { 'data-action': 'download-data' } });
  replace(
    root,
    h('h1', { tabindex: '-1' }, t('data.title')),
    h('div', { class: 'stack', 'data-ready': 'data' },
      section(t('data.whatTitle'), 2, h('p', null, t('data.explain')), h('div', { class: 'actions' }, get), result),
      section(t('data.eraseTitle'), 2, h('p', null, t('data.erase'))),
    ),
  );
}
