// One voice per language: German and Dutch address the user formally everywhere
// (German "Sie/Ihr/Ihnen", Dutch "u/uw"), in the bot's strings, the tab's, the tutorial catalogue and the business items.
import * as fs from 'fs';
import * as path from 'path';
import { renderCard } from '../bot/cards/render';
import { formatMessage, placeholderNames } from '../bot/i18n/format';

const root = path.join(__dirname, '..');
const FILES: Record<'de' | 'nl', string[]> = {
  de: ['bot/i18n/de.json', 'tab/src/i18n/de.json', 'bot/ladder/catalogue.de.json', 'bot/ladder/business.de.json'],
  nl: ['bot/i18n/nl.json', 'tab/src/i18n/nl.json', 'bot/ladder/catalogue.nl.json', 'bot/ladder/business.nl.json'],
};

/** Every string in a JSON tree with its key path. */
function strings(value: unknown, key = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[key, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${key}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, key ? `${key}.${k}` : k));
  return [];
}

// Whole words, also next to umlauts and accents (\b only knows ASCII).
const word = (alternatives: string, flags = 'iu') => new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, flags);

const DU_IMPERATIVES = 'sag|sage|wähle|wähl|bewerte|beantworte|tippe|gib|nimm|melde|klicke|öffne|lies|sieh|schau|probiere|erzähl|erzähle|füge|prüfe|vergleiche|kläre|nutze|besprich|überlege|entscheide|schreib|schreibe|versuche|vergiss';

const INFORMAL: Record<'de' | 'nl', Array<[string, RegExp]>> = {
  de: [
    ['du/dich/dir/dein*', word('du|dich|dir|dein|deine|deinen|deinem|deiner|deines')],
    ['euch/euer/eure*', word('euch|euer|eure|euren|eurem|eurer|eures')],
    // Verbs only "du" takes, in case the pronoun was left out.
    ['a du verb form', word('bist|hast|kannst|musst|willst|sollst|darfst|wirst|möchtest|weißt|solltest|könntest|würdest|hättest|wärst|brauchst|findest|siehst')],
    // "ihr" as 'you (all)': before a verb in the ihr form (German capitalises nouns, so a lowercase
    // word ending in -t after "ihr" is a verb), or after one. "ihr/ihre" as 'her/their' stays legal.
    ['ihr + verb', new RegExp('(?<![\\p{L}\\p{N}])[Ii]hr\\s+\\p{Ll}[\\p{L}]*t(?![\\p{L}\\p{N}])', 'u')],
    ['verb + ihr', word('(?:habt|seid|könnt|müsst|wollt|sollt|solltet|dürft|werdet|wart|hattet|wisst|braucht|macht|findet|seht|kommt|geht)\\s+ihr')],
    // Imperatives in the du form ("Bitte sag ...", "Wähle ..."); the formal one is "Sagen Sie".
    // Forms in -e are also "ich ..." (the bot speaks as "ich"), so not after "ich".
    ['a du imperative', new RegExp(`(?<![\\p{L}\\p{N}])(?<!ich\\s)(?:${DU_IMPERATIVES})(?![\\p{L}\\p{N}])`, 'iu')],
  ],
  nl: [['je/jij/jou/jouw/jullie/jezelf/alsjeblieft', word('je|jij|jou|jouw|jouwe|jullie|jezelf|alsjeblieft')]],
};

describe('one form of address per language', () => {
  for (const lang of ['de', 'nl'] as const) {
    for (const file of FILES[lang]) {
      it(`${file} addresses the reader formally only`, () => {
        const json = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
        const all = strings(json);
        expect(all.length).toBeGreaterThan(10);
        const offending = all.flatMap(([key, text]) =>
          INFORMAL[lang].filter(([, re]) => re.test(text)).map(([what]) => `${key} (${what}): ${text}`));
        if (offending.length) throw new Error(`${file}: informal address in ${offending.length} string(s):\n${offending.join('\n')}`);
      });
    }
  }

  it('the detectors catch informal and let formal pass', () => {
    const hit = (lang: 'de' | 'nl', s: string) => INFORMAL[lang].some(([, re]) => re.test(s));
    for (const s of ['Hast du Zeit?', 'Melde dich bei deinem Mentor.', 'Wie geht es euch?', 'Ihr habt 2 Tandems.', 'Könnt ihr kurz antworten?', 'Du bist dran.', 'Was möchtest du lernen?', 'Bitte sag, ob es geklappt hat.', 'Wähle die Tutorials.'])
      expect([s, hit('de', s)]).toEqual([s, true]);
    for (const s of ['Haben Sie Zeit?', 'Ihr Profil ist gespeichert.', 'Sie und Ihre Mentorin', 'Sie hat ihr Profil ergänzt.', 'Die Teams und ihre Kanäle', 'Wir danken Ihnen.', 'Bitte sagen Sie, ob es geklappt hat.', 'Ich lösche, ich öffne und ich prüfe.'])
      expect([s, hit('de', s)]).toEqual([s, false]);
    for (const s of ['Heb je even tijd?', 'Jouw koppel', 'Jullie zijn gekoppeld.', 'Stel jezelf voor.', 'Hoe gaat het met jou?', 'Beantwoord dit alsjeblieft.'])
      expect([s, hit('nl', s)]).toEqual([s, true]);
    for (const s of ['Heeft u even tijd?', 'Uw koppel', 'U bent gekoppeld.', 'Stel uzelf voor.', 'Bekijk de jaarplanning.'])
      expect([s, hit('nl', s)]).toEqual([s, false]);
  });
});

describe('counts agree with their nouns', () => {
  const MESSAGES = ['bot/i18n', 'tab/src/i18n'].flatMap((dir) =>
    (['en', 'de', 'nl'] as const).map((lang) => ({ lang, file: `${dir}/${lang}.json`, all: strings(JSON.parse(fs.readFileSync(path.join(root, dir, `${lang}.json`), 'utf8'))) })));

  it('no "(s)"-style plurals are left: "pair(s)", "Programm(en)", "programma(\'s)"', () => {
    const left = MESSAGES.flatMap(({ file, all }) => all.filter(([, text]) => /\p{L}\((?:s|en|n|'s)\)/u.test(text)).map(([key, text]) => `${file} ${key}: ${text}`));
    expect(left).toEqual([]);
  });

  it('every plural message reads without leftover syntax for 0, 1 and 2, and English says "1 x" and "2 xs" differently', () => {
    const broken: string[] = [];
    for (const { lang, file, all } of MESSAGES) {
      for (const [key, text] of all.filter(([, s]) => /,\s*plural\s*,/.test(s))) {
        const names = placeholderNames(text);
        const outs = [0, 1, 2].map((n) => formatMessage(text, Object.fromEntries(names.map((p) => [p, n])), lang));
        for (const out of outs) if (/[{}#]/.test(out)) broken.push(`${file} ${key}: ${out}`);
        if (outs[1].replace(/1/g, '2') === outs[2]) broken.push(`${file} ${key}: singular and plural read the same: ${outs[2]}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the translation check sees the placeholders inside plural forms, not the words of the forms', () => {
    expect(placeholderNames('{n, plural, one {the only pair of {name}} other {# pairs of {name}}}')).toEqual(['n', 'name']);
    expect(placeholderNames('{count, plural, one {pair} other {pairs}} and {rate}')).toEqual(['count', 'rate']);
  });

  it('strings a card template shows as ${t.…} (no parameters) are not plural messages', () => {
    const en = JSON.parse(fs.readFileSync(path.join(root, 'bot/i18n/en.json'), 'utf8'));
    const dir = path.join(root, 'bot/cards/templates');
    const used = new Set(fs.readdirSync(dir).flatMap((f) => [...fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/\bt\.([\w.]+)/g)].map((m) => m[1])));
    const plural = [...used].filter((k) => { const v = k.split('.').reduce((o, p) => o?.[p], en); return typeof v === 'string' && /,\s*plural\s*,/.test(v); });
    expect(plural).toEqual([]);
  });
});

describe('every word on a card comes from the strings', () => {
  const dir = path.join(root, 'bot/cards/templates');
  const SHOWN = new Set(['title', 'label', 'placeholder', 'errorMessage', 'text', 'altText', 'tooltip', 'fallbackText']);

  it('no template shows a hard-coded word (button titles, labels, placeholders, facts)', () => {
    const hardCoded: string[] = [];
    const walk = (v: unknown, file: string, key = ''): void => {
      if (Array.isArray(v)) v.forEach((x) => walk(x, file, key));
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, file, k);
      else if (typeof v === 'string' && SHOWN.has(key) && !v.includes('${') && /\p{L}/u.test(v)) hardCoded.push(`${file} ${key}: ${v}`);
    };
    for (const f of fs.readdirSync(dir)) walk(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')), f);
    expect(hardCoded).toEqual([]);
  });

  it('the welcome card speaks German and Dutch on its buttons, and still sends the English command words', () => {
    const buttons = (locale: 'en' | 'de' | 'nl') =>
      (renderCard('welcome', { scope: 'personal' }, locale).actions as Array<{ title: string; data: { args: string } }>).map((a) => [a.title, a.data.args]);
    expect(buttons('en')).toEqual([['Join', 'join'], ['Help', 'help']]);
    expect(buttons('de')).toEqual([['Mitmachen', 'join'], ['Hilfe', 'help']]);
    expect(buttons('nl')).toEqual([['Meedoen', 'join'], ['Hulp', 'help']]);
  });
});
