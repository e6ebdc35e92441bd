// Who is using the tab and how: inside Teams with SSO, or (only when the server has no Entra
// app configured) the local identity mode with context from URL parameters.
import { configureApi, getJson } from './api';
import { h } from './dom';
import { applyTheme } from './fluent';
import { connectHost } from './host';
import { asTheme, Host, HostContext } from './hostContext';
import { language, setLanguage, t } from './i18n';
import type { AppConfig, LocalUser } from './types';
import { select } from './ui';

export interface Session {
  host?: Host;
  config: AppConfig;
  params: URLSearchParams;
  /** Set in local identity mode. */
  local?: { userId: string; tenantId: string };
  context: HostContext;
}

export type Boot =
  | { kind: 'ready'; session: Session }
  | { kind: 'choose-identity'; session: Session }
  | { kind: 'not-in-teams' }
  | { kind: 'error'; error: unknown };

export async function boot(): Promise<Boot> {
  const params = new URLSearchParams(location.search);
  setLanguage(params.get('locale') ?? navigator.language);
  try {
    const [host, config] = await Promise.all([connectHost(), fetch('/api/config').then((r) => r.json() as Promise<AppConfig>)]);
    if (host) {
      setLanguage(host.context.locale);
      applyTheme(host.context.theme ?? 'default');
      host.onThemeChange(applyTheme);
      if (!config.localMode) {
        configureApi(async () => ({ authorization: `Bearer ${await host.getToken()}` }), language());
        return { kind: 'ready', session: { host, config, params, context: host.context } };
      }
    } else {
      if (!config.localMode) return { kind: 'not-in-teams' };
      applyTheme(asTheme(params.get('theme')));
    }
    // Local identity mode: the server accepts these headers only because no Entra app is configured.
    const userId = host?.context.userId ?? params.get('user') ?? '';
    const tenantId = host?.context.tenantId ?? params.get('tenant') ?? '';
    const session: Session = { host, config, params, context: host?.context ?? { theme: asTheme(params.get('theme')) } };
    if (!userId || !tenantId) return { kind: 'choose-identity', session };
    session.local = { userId, tenantId };
    configureApi(async () => ({ 'x-local-user': userId, 'x-local-tenant': tenantId }), language());
    return { kind: 'ready', session };
  } catch (error) {
    return { kind: 'error', error };
  }
}

/** The clearly marked banner of local mode, with the identity switcher. */
export async function localBanner(session: Session): Promise<HTMLElement> {
  let users: LocalUser[] = [];
  try {
    users = (await getJson<{ users: LocalUser[] }>('/api/local/users')).users;
  } catch {
    /* the switcher then offers nobody; the banner still says what mode this is */
  }
  const current = session.local ? `${session.local.tenantId}|${session.local.userId}` : undefined;
  const tenants = new Set(users.map((u) => u.tenantId));
  const options = users.map((u) => ({
    value: `${u.tenantId}|${u.userId}`,
    text: `${u.name || u.userId}${u.isAdmin ? ` · ${t('local.admin')}` : ''}${u.roles.length ? ` · ${u.roles.join(', ')}` : ''}${tenants.size > 1 ? ` · ${u.tenantId.slice(0, 8)}` : ''}`,
  }));
  // Someone not in the list (an id typed into the URL) is still who the page shows: say so.
  if (session.local && current && !options.some((o) => o.value === current)) options.unshift({ value: current, text: session.local.userId });
  const switcher = select(t('local.viewingAs'), options, current, (v) => {
    const [tenant, user] = v.split('|');
    const next = new URLSearchParams(location.search);
    next.set('tenant', tenant);
    next.set('user', user);
    location.search = next.toString();
  }, t('local.choose'));
  return h(
    'aside',
    { class: 'local-banner', 'aria-label': t('local.title') },
    h('fluent-message-bar', { intent: 'warning', layout: 'multiline' }, h('strong', null, t('local.title')), ' ', h('span', null, t('local.explain'))),
    switcher,
  );
}
