// The help card: the commands a person may use (admins also see theirs) and, after a typo, the
// closest match. The command table is passed in (bot/handlers/commands.ts owns it).
import type { CommandDef } from '../domain/commands';
import type { Locale } from '../domain/types';
import { t } from '../i18n/i18n';
import { Card, renderCard } from './render';

export function helpCard(locale: Locale, commands: readonly CommandDef[], showAdmin: boolean, notice = '', suggestion?: CommandDef): Card {
  const row = (c: CommandDef) => ({ usage: c.usage, description: t(locale, `help.cmd.${c.id}`) });
  return renderCard(
    'help',
    {
      notice,
      userCommands: commands.filter((c) => !c.admin).map(row),
      adminCommands: showAdmin ? commands.filter((c) => c.admin).map(row) : [],
      suggestions: suggestion ? [suggestion.words] : [],
    },
    locale,
  );
}
