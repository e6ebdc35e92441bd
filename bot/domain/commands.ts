// The bot's command language: what people type, parsed into a command id and arguments.
// Pure: the bot layer strips nothing but passes the raw text and the mentioned users.

export interface CommandDef {
  id: string;
  /** The words that invoke it, as typed (lower case, single spaces). */
  words: string;
  admin: boolean;
  /** Example of the full syntax, shown in help and the manifest's command list. */
  usage: string;
}

export const COMMANDS: readonly CommandDef[] = [
  { id: 'help', words: 'help', admin: false, usage: 'help' },
  { id: 'join', words: 'join', admin: false, usage: 'join' },
  { id: 'profile', words: 'profile', admin: false, usage: 'profile' },
  { id: 'myPair', words: 'my pair', admin: false, usage: 'my pair' },
  { id: 'ladder', words: 'ladder', admin: false, usage: 'ladder' },
  { id: 'checkin', words: 'checkin', admin: false, usage: 'checkin' },
  { id: 'pause', words: 'pause', admin: false, usage: 'pause' },
  { id: 'leave', words: 'leave', admin: false, usage: 'leave' },
  { id: 'myData', words: 'my data', admin: false, usage: 'my data' },
  { id: 'forgetMe', words: 'forget me', admin: false, usage: 'forget me' },
  { id: 'programmeNew', words: 'programme new', admin: true, usage: 'programme new' },
  { id: 'programmeOpen', words: 'programme open', admin: true, usage: 'programme open [name]' },
  { id: 'programmeClose', words: 'programme close', admin: true, usage: 'programme close [name]' },
  { id: 'programmes', words: 'programmes', admin: true, usage: 'programmes' },
  { id: 'enrol', words: 'enrol', admin: true, usage: 'enrol @person as mentor|mentee' },
  { id: 'pair', words: 'pair', admin: true, usage: 'pair [@mentor @mentee]' },
  { id: 'unpair', words: 'unpair', admin: true, usage: 'unpair @person' },
  { id: 'status', words: 'status', admin: true, usage: 'status' },
  { id: 'knowledgeMap', words: 'knowledge map', admin: true, usage: 'knowledge map' },
  { id: 'remind', words: 'remind', admin: true, usage: 'remind' },
  { id: 'checkinsSend', words: 'checkins send', admin: true, usage: 'checkins send' },
  { id: 'export', words: 'export', admin: true, usage: 'export' },
  { id: 'admins', words: 'admins', admin: true, usage: 'admins [add|remove @person]' },
];

export interface Mention {
  id: string;
  name: string;
}

export type ParsedCommand =
  | { kind: 'command'; def: CommandDef; args: string; mentions: Mention[] }
  | { kind: 'unknown'; text: string; suggestion?: CommandDef }
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
 * Parses a message. `mentions` are the users mentioned in it other than the bot, in order.
 * The longest matching command words win ("pair" vs "programme new" vs "my pair").
 */
export function parseCommand(raw: string, mentions: Mention[] = []): ParsedCommand {
  if (raw.length > MAX_COMMAND_LENGTH * 4) return { kind: 'unknown', text: raw.slice(0, 40) };
  const text = normaliseText(raw);
  if (!text) return { kind: 'empty' };
  const byLength = [...COMMANDS].sort((a, b) => b.words.length - a.words.length);
  for (const def of byLength) {
    if (text === def.words || text.startsWith(def.words + ' ')) {
      return { kind: 'command', def, args: text.slice(def.words.length).trim(), mentions };
    }
  }
  return { kind: 'unknown', text: text.slice(0, 80), suggestion: closestCommand(text) };
}

/** The command whose words are nearest (edit distance) to what was typed, if reasonably near. */
export function closestCommand(text: string): CommandDef | undefined {
  const words = text.split(' ');
  let best: { def: CommandDef; d: number } | undefined;
  for (const def of COMMANDS) {
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
