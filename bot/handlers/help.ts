import { renderCard } from '../cards/render';
import { COMMANDS, CommandDef } from '../domain/commands';
import { t } from '../i18n/i18n';
import type { Locale } from '../domain/types';

/** The help card; admins also see the admin commands. `notice` explains why help is shown. */
export function helpCard(locale: Locale, showAdmin: boolean, notice = '', suggestion?: CommandDef) {
  const row = (c: CommandDef) => ({ usage: c.usage, description: t(locale, `help.cmd.${c.id}`) });
  return renderCard(
    'help',
    {
      notice,
      userCommands: COMMANDS.filter((c) => !c.admin).map(row),
      adminCommands: showAdmin ? COMMANDS.filter((c) => c.admin).map(row) : [],
      suggestions: suggestion ? [suggestion.words] : [],
    },
    locale,
  );
}
