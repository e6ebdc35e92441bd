// The Teams host, if there is one. teams-js is loaded only when the page could be hosted
// (framed, or a mobile webview with nativeInterface): top-level in a plain browser its
// app.initialize fails anyway ("No Parent window found"), and merely loading it contacts a CDN.

export type ThemeName = 'default' | 'dark' | 'contrast';

export interface TabConfig {
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
  suggestedDisplayName: string;
}

export interface HostContext {
  userId?: string;
  tenantId?: string;
  locale?: string;
  theme?: ThemeName;
  channelId?: string;
  frameContext?: string;
  /** The sub-page a deep link opened the tab at (Teams' subEntityId). */
  subPageId?: string;
}

export interface Host {
  context: HostContext;
  getToken(): Promise<string>;
  onThemeChange(handler: (theme: ThemeName) => void): void;
  openLink(url: string): Promise<void>;
  /** Channel tab configuration (only on the config page). */
  configure?(valid: boolean, getConfig: () => TabConfig | undefined): void;
  ready(): void;
}

const INIT_TIMEOUT_MS = 5000;

export function mayBeHosted(): boolean {
  const w = window as Window & { nativeInterface?: unknown };
  let framed = false;
  try {
    framed = window.self !== window.top;
  } catch {
    framed = true; // a cross-origin parent throws: we are framed
  }
  return framed || !!w.nativeInterface || !!window.opener;
}

/** Connects to Teams; undefined when there is no host to talk to. */
export async function connectHost(): Promise<Host | undefined> {
  if (!mayBeHosted()) return undefined;
  try {
    const { connect } = await import('./teams');
    return await Promise.race([connect(), new Promise<undefined>((r) => setTimeout(() => r(undefined), INIT_TIMEOUT_MS))]);
  } catch {
    return undefined;
  }
}

export const asTheme = (raw: string | null | undefined): ThemeName => (raw === 'dark' || raw === 'contrast' ? raw : 'default');
