// The bot's command language: what people type, parsed into a command id and arguments.
// Pure: the bot layer strips nothing but passes the raw text and the mentioned users.

/** Where a message comes from: the 1:1 chat, a group chat, or a team's channel. */
export type Scope = 'personal' | 'groupChat' | 'team';

export interface CommandDef {
  id: string;
  /** The words that invoke it, as typed (lower case, single spaces). */
  words: string;
  admin: boolean;
  /** Example of the full syntax, shown in help and the manifest's command list. */
  usage: string;
}


export interface Mention {
  id: string;
  name: string;
}

export type ParsedCommand<C extends CommandDef = CommandDef> =
  | { kind: 'command'; def: C; args: string; mentions: Mention[] }
  | { kind: 'unknown'; text: string; suggestion?: C }
  | { kind: 'empty' };

/** Longest text we try to interpret; anything longer is not a command. */
export const MAX_COMMAND_LENGTH = 500;

/** Removes `<at>Name</at>` mention markup, a leading slash and extra white space. */
export function normaliseText(raw: string): string {
  return raw
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\/\s*/, '')
    .toLowerCase();
}

/**
 * Parses a message against `commands` (bot/handlers/commands.ts has the table). `mentions` are the
 * users mentioned in it other than the bot, in order. The longest matching command words win
 * ("pair" vs "programme new" vs "my pair").
 */
export function parseCommand<C extends CommandDef>(raw: string, commands: readonly C[], mentions: Mention[] = []): ParsedCommand<C> {
  if (raw.length > MAX_COMMAND_LENGTH * 4) return { kind: 'unknown', text: raw.slice(0, 40) };
  const text = normaliseText(raw);
  if (!text) return { kind: 'empty' };
  const byLength = [...commands].sort((a, b) => b.words.length - a.words.length);
  for (const def of byLength) {
    if (text === def.words || text.startsWith(def.words + ' ')) {
      return { kind: 'command', def, args: text.slice(def.words.length).trim(), mentions };
    }
  }
  return { kind: 'unknown', text: text.slice(0, 80), suggestion: closestCommand(text, commands) };
}

/** The command whose words are nearest (edit distance) to what was typed, if reasonably near. */
export function closestCommand<C extends CommandDef>(text: string, commands: readonly C[]): C | undefined {
  const words = text.split(' ');
  let best: { def: C; d: number } | undefined;
  for (const def of commands) {
    const n = def.words.split(' ').length;
    const candidate = words.slice(0, n).join(' ');
    const d = editDistance(candidate, def.words);
    if (!best || d < best.d) best = { def, d };
  }
  if (!best) return undefined;
  return best.d <= Math.max(2, Math.floor(best.def.words.length / 3)) ? best.def : undefined;
}

export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
