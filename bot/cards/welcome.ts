// The first card the bot sends where it is installed (a 1:1 chat, a team, a group chat).
import type { Scope } from '../domain/commands';
import type { Locale } from '../domain/types';
import { Card, renderCard } from './render';

export function welcomeCard(locale: Locale, scope: Scope): Card {
  return renderCard('welcome', { scope }, locale);
}
