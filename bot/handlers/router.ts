// Routes a message or a card submit to its handler in the command table, checks admin rights
// (declared there, for commands and buttons alike), and turns failures into answers the person
// understands. Nothing here knows about Bot Framework.
import { notice } from '../cards/common';
import { helpCard } from '../cards/help';
import { escapeMarkdown } from '../cards/render';
import { MAX_COMMAND_LENGTH, parseCommand } from '../domain/commands';
import { t } from '../i18n/i18n';
import { isAdmin } from '../services/admins';
import { ConcurrencyError, Services, StorageUnavailableError } from '../services/services';
import { COMMANDS, SUBMITS } from './commands';
import type { Turn } from './turn';

/** Runs `work`, answering storage outages and lost races with a clear message. */
async function answering(turn: Turn, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (err) {
    if (err instanceof StorageUnavailableError) await turn.send(notice(turn, t(turn.locale, 'common.unavailable'), '', 'error'));
    else if (err instanceof ConcurrencyError) await turn.send(notice(turn, t(turn.locale, 'common.conflict'), '', 'error'));
    else {
      // Log the kind of failure only: messages may carry people's own words.
      console.error(`[bot] handler failed: ${(err as Error)?.name}: ${(err as Error)?.stack?.split('\n')[1]?.trim() ?? ''}`);
      await turn.send(notice(turn, t(turn.locale, 'common.error'), '', 'error'));
    }
  }
}

/** Admin rights, checked against storage; a refusal says so and nothing changes. */
async function allowed(svc: Services, turn: Turn, command: string): Promise<boolean> {
  if (await isAdmin(svc, turn.tenantId, turn.userId)) return true;
  await turn.send(notice(turn, t(turn.locale, 'common.notAdmin', { command }), '', 'error'));
  return false;
}

async function runText(svc: Services, turn: Turn, text: string): Promise<void> {
  if (text.length > MAX_COMMAND_LENGTH) {
    await turn.send(notice(turn, t(turn.locale, 'common.tooLong'), '', 'error'));
    return;
  }
  const parsed = parseCommand(text, COMMANDS, turn.mentions);
  if (parsed.kind === 'command') {
    const command = parsed.def;
    if (command.admin && !(await allowed(svc, turn, command.words))) return;
    await command.handler(svc, turn, parsed.args);
    return;
  }
  const admin = await isAdmin(svc, turn.tenantId, turn.userId);
  if (parsed.kind === 'empty') {
    await turn.send(helpCard(turn.locale, COMMANDS, admin));
    return;
  }
  const suggestion = parsed.suggestion && (!parsed.suggestion.admin || admin) ? parsed.suggestion : undefined;
  // What they typed is shown as typed: never as Markdown formatting or a link.
  const msg = t(turn.locale, 'common.unknown', { text: escapeMarkdown(parsed.text) }) + (suggestion ? ' ' + t(turn.locale, 'common.didYouMean', { suggestion: suggestion.words }) : '');
  await turn.send(helpCard(turn.locale, COMMANDS, admin, msg, suggestion));
}

export async function handleMessage(svc: Services, turn: Turn, text: string): Promise<void> {
  await answering(turn, () => runText(svc, turn, text));
}

export async function handleSubmit(svc: Services, turn: Turn, value: Record<string, unknown>): Promise<void> {
  await answering(turn, async () => {
    const verb = typeof value.verb === 'string' ? value.verb : '';
    // Buttons that stand for a typed command ("join", "help"): the same checks as typing it.
    if (verb === 'command' && typeof value.args === 'string') return runText(svc, turn, value.args);
    const submit = Object.prototype.hasOwnProperty.call(SUBMITS, verb) ? SUBMITS[verb] : undefined;
    if (!submit) {
      await turn.send(notice(turn, t(turn.locale, 'common.staleCard'), '', 'error'));
      return;
    }
    if (submit.admin && !(await allowed(svc, turn, submit.admin))) return;
    await submit.handler(svc, turn, value);
  });
}
