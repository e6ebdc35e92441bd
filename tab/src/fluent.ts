// The Fluent UI web components the tab uses (each import registers one element), and the themes.
import '@fluentui/web-components/accordion.js';
import '@fluentui/web-components/accordion-item.js';
import '@fluentui/web-components/anchor-button.js';
import '@fluentui/web-components/badge.js';
import '@fluentui/web-components/button.js';
import '@fluentui/web-components/divider.js';
import '@fluentui/web-components/message-bar.js';
import '@fluentui/web-components/progress-bar.js';
import '@fluentui/web-components/spinner.js';
import { setTheme } from '@fluentui/web-components/theme/set-theme.js';
import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from '@fluentui/tokens';
import type { ThemeName } from './hostContext';

const THEMES = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

export function applyTheme(name: ThemeName): void {
  setTheme(THEMES[name]);
  document.documentElement.dataset.theme = name;
  document.documentElement.style.colorScheme = name === 'default' ? 'light' : 'dark';
}
