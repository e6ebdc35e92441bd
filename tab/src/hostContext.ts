// What the tab knows of its host (Teams, through teams-js in teams.ts) and may ask of it.

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

export const asTheme = (raw: string | null | undefined): ThemeName => (raw === 'dark' || raw === 'contrast' ? raw : 'default');
