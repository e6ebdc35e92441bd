// Routes a message or a card submit to its handler, checks admin rights, and turns failures
// into answers the person understands. Nothing here knows about Bot Framework.
import { escapeMarkdown, renderCard } from '../cards/render';
import { CommandDef, COMMANDS, MAX_COMMAND_LENGTH, parseCommand } from '../domain/commands';
import { t } from '../i18n/i18n';
import { isAdmin } from '../services/admins';
import type { Services } from '../services/services';
import { ConcurrencyError, StorageUnavailableError } from '../storage/repository';
import { helpCard } from './help';
import type { Turn } from './turn';

export type CommandHandler = (turn: Turn, svc: Services, args: string) => Promise<void>;
export type SubmitHandler = (turn: Turn, svc: Services, value: Record<string, unknown>) => Promise<void>;

const commandHandlers = new Map<string, CommandHandler>();
const submitHandlers = new Map<string, SubmitHandler>();

export function onCommand(id: string, handler: CommandHandler): void {
  if (!COMMANDS.some((c) => c.id === id)) throw new Error(`unknown command id ${id}`);
  commandHandlers.set(id, handler);
}
export function onSubmit(verb: string, handler: SubmitHandler): void {
  submitHandlers.set(verb, handler);
}
export function answeredCommands(): string[] {
  return [...commandHandlers.keys()];
}

onCommand('help', async (turn, svc) => {
  await turn.send(helpCard(turn.locale, await isAdmin(svc.store, turn.tenantId, turn.userId)));
});

export function notice(turn: Turn, title: string, text = '', tone: 'info' | 'error' | 'success' = 'info', items: string[] = []) {
  return renderCard('notice', { title, text, tone, items, actions: [] }, turn.locale);
}

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

export async function handleMessage(turn: Turn, svc: Services, text: string): Promise<void> {
  await answering(turn, async () => {
    if (text.length > MAX_COMMAND_LENGTH) {
      await turn.send(notice(turn, t(turn.locale, 'common.tooLong'), '', 'error'));
      return;
    }
    const parsed = parseCommand(text, turn.mentions);
    if (parsed.kind === 'empty') {
      await turn.send(helpCard(turn.locale, await isAdmin(svc.store, turn.tenantId, turn.userId)));
      return;
    }
    if (parsed.kind === 'unknown') {
      const admin = await isAdmin(svc.store, turn.tenantId, turn.userId);
      const suggestion = parsed.suggestion && (!parsed.suggestion.admin || admin) ? parsed.suggestion : undefined;
      const msg =
        // What they typed is shown as typed: never as Markdown formatting or a link.
        t(turn.locale, 'common.unknown', { text: escapeMarkdown(parsed.text) }) +
        (suggestion ? ' ' + t(turn.locale, 'common.didYouMean', { suggestion: suggestion.words }) : '');
      await turn.send(helpCard(turn.locale, admin, msg, suggestion));
      return;
    }
    await runCommand(turn, svc, parsed.def, parsed.args);
  });
}

async function runCommand(turn: Turn, svc: Services, def: CommandDef, args: string): Promise<void> {
  if (def.admin && !(await isAdmin(svc.store, turn.tenantId, turn.userId))) {
    await turn.send(notice(turn, t(turn.locale, 'common.notAdmin', { command: def.words }), '', 'error'));
    return;
  }
  const handler = commandHandlers.get(def.id);
  if (!handler) {
    await turn.send(notice(turn, t(turn.locale, 'common.notImplemented', { command: def.words })));
    return;
  }
  await handler(turn, svc, args);
}

export async function handleSubmit(turn: Turn, svc: Services, value: Record<string, unknown>): Promise<void> {
  await answering(turn, async () => {
    const verb = typeof value.verb === 'string' ? value.verb : '';
    // Buttons that stand for a typed command ("join", "help").
    if (verb === 'command' && typeof value.args === 'string') return handleMessage(turn, svc, value.args);
    const handler = submitHandlers.get(verb);
    if (!handler) {
      await turn.send(notice(turn, t(turn.locale, 'common.staleCard'), '', 'error'));
      return;
    }
    await handler(turn, svc, value);
  });
}
