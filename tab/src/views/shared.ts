// Links into Teams: a chat with a person, and joining through the bot.
import { h } from '../dom';
import { t } from '../i18n';
import type { Session } from '../session';
import { button } from '../ui';

/** Opens a Teams chat with someone (only inside Teams; ids in local mode are not real accounts). */
export function chatLink(s: Session, userId: string, label: string): HTMLElement | null {
  if (!s.host || s.local) return null;
  const url = `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(`8:orgid:${userId}`)}`;
  return button(label, () => void s.host!.openLink(url), { appearance: 'subtle' });
}

/** How to join: a button that opens the bot chat with "join" typed in, or plain instructions. */
export function joinHelp(s: Session): HTMLElement {
  const help = h('p', { class: 'join-help' }, t('join.instructions'));
  if (s.host && !s.local && s.config.botId) {
    const url = `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(`28:${s.config.botId}`)}&message=join`;
    return h('div', { class: 'join' }, button(t('join.button'), () => void s.host!.openLink(url), { appearance: 'primary', attrs: { 'data-action': 'join' } }), help);
  }
  // Outside Teams the button reveals the instructions (there is no chat to open).
  help.hidden = true;
  help.id = 'join-help';
  const btn = button(t('join.button'), () => {
    help.hidden = false;
    btn.setAttribute('aria-expanded', 'true');
    help.focus();
  }, { appearance: 'primary', attrs: { 'aria-controls': 'join-help', 'aria-expanded': 'false', 'data-action': 'join' } });
  help.tabIndex = -1;
  return h('div', { class: 'join' }, btn, help);
}
