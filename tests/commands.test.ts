import { parseCommand as parse, normaliseText } from '../bot/domain/commands';
import { COMMANDS } from '../bot/handlers/commands';

const parseCommand = (text: string) => parse(text, COMMANDS);

describe('command parsing', () => {
  it('accepts a command with or without slash, mention markup and odd case', () => {
    for (const text of ['help', '/help', '  HELP ', '<at>Reverse Mentor</at> help', '<at>RM</at>&nbsp;/Help']) {
      const p = parseCommand(text);
      expect(p.kind).toBe('command');
      if (p.kind === 'command') expect(p.def.id).toBe('help');
    }
  });

  it('prefers the longest command words and keeps the arguments', () => {
    const p = parseCommand('programme open Digital Leaders');
    expect(p.kind === 'command' && p.def.id).toBe('programmeOpen');
    expect(p.kind === 'command' && p.args).toBe('digital leaders');
    const q = parseCommand('my pair');
    expect(q.kind === 'command' && q.def.id).toBe('myPair');
    const r = parseCommand('pair');
    expect(r.kind === 'command' && r.def.id).toBe('pair');
  });

  it('suggests the closest command for a typo and nothing for gibberish', () => {
    const p = parseCommand('hlep');
    expect(p.kind).toBe('unknown');
    expect(p.kind === 'unknown' && p.suggestion?.id).toBe('help');
    const k = parseCommand('knowlege map');
    expect(k.kind === 'unknown' && k.suggestion?.id).toBe('knowledgeMap');
    const g = parseCommand('xyzzyqwerty plugh');
    expect(g.kind === 'unknown' && g.suggestion).toBeUndefined();
  });

  it('strips control characters and does not treat markup as words', () => {
    expect(normaliseText('he\u0000lp')).toBe('he lp');
    expect(parseCommand('<b>status</b>').kind).toBe('command');
  });

  it('every command has unique words', () => {
    expect(new Set(COMMANDS.map((c) => c.words)).size).toBe(COMMANDS.length);
  });
});
