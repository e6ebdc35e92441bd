// One voice per language: German and Dutch address the user formally everywhere
// (German "Sie/Ihr/Ihnen", Dutch "u/uw"), in the bot's strings, the tab's and the tutorial catalogue.
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');
const FILES: Record<'de' | 'nl', string[]> = {
  de: ['bot/i18n/de.json', 'tab/src/i18n/de.json', 'bot/ladder/catalogue.de.json'],
  nl: ['bot/i18n/nl.json', 'tab/src/i18n/nl.json', 'bot/ladder/catalogue.nl.json'],
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
