// Shared pieces of the tab's pages, built from Fluent UI web components and native elements.
import { ApiFailure } from './api';
import { Child, h, uid } from './dom';
import { Key, t } from './i18n';

export type Intent = 'info' | 'warning' | 'error' | 'success';
export type BadgeColor = 'brand' | 'danger' | 'important' | 'informative' | 'severe' | 'subtle' | 'success' | 'warning';

export function announce(text: string): void {
  const live = document.getElementById('live');
  if (!live) return;
  // Clear first so the same text is read again.
  live.textContent = '';
  setTimeout(() => (live.textContent = text), 50);
}

export function spinner(label: string): HTMLElement {
  return h('div', { class: 'loading' }, h('fluent-spinner', { size: 'small', 'aria-hidden': 'true' }), h('span', null, label));
}

export function messageBar(intent: Intent, title: string, text?: Child, ...actions: Child[]): HTMLElement {
  return h(
    'fluent-message-bar',
    { intent, layout: 'multiline', role: intent === 'error' || intent === 'warning' ? 'alert' : 'status', class: 'message' },
    h('span', { class: 'message-title' }, title),
    text ? h('span', { class: 'message-text' }, ' ', text) : null,
    actions.length ? h('div', { slot: 'actions', class: 'message-actions' }, actions) : null,
  );
}

export function badge(text: string, color: BadgeColor, appearance: 'filled' | 'tint' | 'outline' = 'tint'): HTMLElement {
  return h('fluent-badge', { color, appearance, size: 'medium', shape: 'rounded' }, text);
}

/** A progress bar with its numbers also as visible text (not colour alone). */
export function progress(done: number, total: number, label: string): HTMLElement {
  const percent = total ? Math.round((done / total) * 100) : 0;
  const text = t('progress.of', { done, total, percent });
  return h(
    'div',
    { class: 'progress' },
    h('fluent-progress-bar', { role: 'progressbar', value: done, max: Math.max(total, 1), 'aria-label': label, 'aria-valuetext': text, thickness: 'large', shape: 'rounded', ...(percent === 100 ? { 'validation-state': 'success' } : {}) }),
    h('span', { class: 'progress-text' }, text),
  );
}

export function section(title: string, level: 2 | 3, ...children: Child[]): HTMLElement {
  const id = uid('sec');
  return h('section', { class: 'card', 'aria-labelledby': id }, h(`h${level}`, { id, tabindex: '-1' }, title), children);
}

export function button(label: string, onClick: (e: Event) => void, opts: { appearance?: 'primary' | 'secondary' | 'subtle' | 'outline'; size?: 'small' | 'medium'; ariaLabel?: string; attrs?: Record<string, string> } = {}): HTMLElement {
  // The role is also given by the component's ElementInternals; the attribute keeps it for webviews
  // and tools that read only the DOM.
  return h('fluent-button', { role: 'button', appearance: opts.appearance ?? 'secondary', size: opts.size ?? 'medium', 'aria-label': opts.ariaLabel, onclick: onClick, ...(opts.attrs ?? {}) }, label);
}

/** A native select, labelled; the most robust accessible picker on every Teams client. */
export function select(label: string, options: Array<{ value: string; text: string }>, value: string | undefined, onChange: (v: string) => void, placeholder?: string): HTMLElement {
  const id = uid('sel');
  const el = h(
    'select',
    { id, class: 'select', onchange: (e: Event) => onChange((e.target as HTMLSelectElement).value) },
    placeholder ? h('option', { value: '', disabled: true, selected: !value }, placeholder) : null,
    options.map((o) => h('option', { value: o.value, selected: o.value === value }, o.text)),
  );
  return h('div', { class: 'field' }, h('label', { for: id }, label), el);
}

/**
 * A table that scrolls sideways on narrow screens instead of breaking the layout; `stacked`
 * tables instead show each row as a block of "column: value" lines below 560 px (explicit
 * roles keep them a table for screen readers whatever the CSS display).
 */
export function table(caption: string, head: string[], rows: Child[][], opts: { captionHidden?: boolean; stacked?: boolean } = {}): HTMLElement {
  const id = uid('tbl');
  const r = (role: string) => (opts.stacked ? role : undefined);
  return h(
    'div',
    { class: 'table-wrap', role: 'region', 'aria-labelledby': id, tabindex: '0' },
    h(
      'table',
      { class: opts.stacked ? 'stacked' : undefined, role: r('table') },
      h('caption', { id, class: opts.captionHidden ? 'visually-hidden' : undefined }, caption),
      h('thead', { role: r('rowgroup') }, h('tr', { role: r('row') }, head.map((c) => h('th', { scope: 'col', role: r('columnheader') }, c)))),
      h('tbody', { role: r('rowgroup') }, rows.map((row) => h('tr', { role: r('row') }, row.map((c, i) =>
        i === 0 ? h('th', { scope: 'row', role: r('rowheader') }, c) : h('td', { 'data-label': head[i], role: r('cell') }, c))))),
    ),
  );
}

const ERROR_KEYS: Record<string, Key> = {
  'not-your-mentee': 'error.notYourMentee',
  'not-admin': 'error.notAdmin',
  'not-participant': 'error.notParticipant',
  'not-mentee': 'error.notMentee',
  'storage-unavailable': 'error.storage',
  'auth-unavailable': 'error.storage',
  'not-found': 'error.notFound',
  network: 'error.network',
  'local-identity-refused': 'error.signIn',
  'invalid-token': 'error.signIn',
  unauthenticated: 'error.signIn',
};

/** A friendly message for a failure; 403 explains whose data it is. */
export function failure(e: unknown): HTMLElement {
  if (e instanceof ApiFailure) {
    const key = ERROR_KEYS[e.code];
    const title = e.status === 403 ? t('error.forbiddenTitle') : e.status === 404 ? t('error.notFoundTitle') : e.status === 401 ? t('error.signInTitle') : t('error.title');
    const intent: Intent = e.status === 403 || e.status === 404 ? 'warning' : 'error';
    return messageBar(intent, title, key ? t(key) : e.message);
  }
  console.warn(e);
  return messageBar('error', t('error.title'), t('error.unexpected'));
}

export function emptyState(title: string, text: string, ...actions: Child[]): HTMLElement {
  return h('div', { class: 'empty card' }, h('h2', null, title), h('p', null, text), actions.length ? h('div', { class: 'actions' }, actions) : null);
}
