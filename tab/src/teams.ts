// teams-js, in its own chunk: loaded only when the page may be inside Teams.
import { app, authentication, pages } from '@microsoft/teams-js';
import { asTheme, Host, TabConfig } from './hostContext';

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: number };
    return (payload.exp ?? 0) * 1000;
  } catch {
    return 0;
  }
}

export async function connect(): Promise<Host> {
  await app.initialize();
  const ctx = await app.getContext();
  let token: { value: string; expires: number } | undefined;
  return {
    context: {
      userId: ctx.user?.id,
      tenantId: ctx.user?.tenant?.id,
      locale: ctx.app.locale,
      theme: asTheme(ctx.app.theme),
      channelId: ctx.channel?.id,
      frameContext: ctx.page.frameContext,
      subPageId: ctx.page.subPageId,
    },
    async getToken() {
      // Teams caches tokens too; ours saves a round trip per API call. Renew 5 minutes early.
      if (!token || token.expires - Date.now() < 5 * 60_000) {
        const value = await authentication.getAuthToken();
        token = { value, expires: expiryOf(value) };
      }
      return token.value;
    },
    onThemeChange(handler) {
      app.registerOnThemeChangeHandler((t) => handler(asTheme(t)));
    },
    async openLink(url) {
      await app.openLink(url);
    },
    configure(valid: boolean, getConfig: () => TabConfig | undefined) {
      if (!pages.config.isSupported()) return;
      pages.config.registerOnSaveHandler((save) => {
        const config = getConfig();
        if (!config) return save.notifyFailure('No programme chosen');
        pages.config.setConfig(config).then(() => save.notifySuccess(), (e: unknown) => save.notifyFailure(String(e)));
      });
      pages.config.setValidityState(valid);
    },
    ready() {
      app.notifySuccess();
    },
  };
}
