// The Teams app package: manifest and localization files validate offline against the schemas
// bundled with @microsoft/app-manifest once the placeholders are filled from env/.env.local,
// the icons are the right size (outline: white on transparent), every command in the command
// lists is one the bot answers, and `npm run package` builds a zip that validates.
// strip-bom 5, which @microsoft/app-manifest requires, is ESM-only: jest's CommonJS runtime
// cannot load it (plain node can), so tests use this equivalent.
jest.mock('strip-bom', () => ({
  __esModule: true,
  default: (s: string) => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s),
}));

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import JSZip from 'jszip';
import { parseCommand as parse } from '../bot/domain/commands';
import { COMMANDS } from '../bot/handlers/commands';
import { colorIcon, outlineIcon } from '../appPackage/icons';
import {
  build, checkIcon, checkManifestRules, fill, loadEnv, MAX_COMMANDS_PER_LIST, PackageError, parseArgs, parseEnvFile,
  placeholders, pngSize, referencedFiles, REPO_ROOT, validateLocalization, validateManifest,
} from '../appPackage/package';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { PNG } = require('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const APP = path.join(REPO_ROOT, 'appPackage');
const read = (name: string) => fs.readFileSync(path.join(APP, name), 'utf8');
const localVars = loadEnv('local');
const filled = (name: string): Json => JSON.parse(fill(read(name), localVars, name)) as Json;
const LANGS = ['de.json', 'nl.json'];

describe('manifest.json', () => {
  const manifest = filled('manifest.json');

  it('uses the newest bundled Teams schema, at the official URL', () => {
    expect(manifest.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json');
    expect(manifest.manifestVersion).toBe('1.30');
    const bundled = fs
      .readdirSync(path.join(REPO_ROOT, 'node_modules/@microsoft/app-manifest/build/json-schemas/teams'))
      .filter((v) => /^v1\.\d+$/.test(v))
      .map((v) => Number(v.slice(3)));
    expect(Math.max(...bundled)).toBe(30);
  });

  it('has every placeholder filled from env/.env.local', () => {
    expect(placeholders(read('manifest.json')).sort()).toEqual(
      ['APP_NAME_SUFFIX', 'BOT_ID', 'TAB_APP_ID', 'TAB_DOMAIN', 'TEAMS_APP_ID'].sort(),
    );
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('validates offline against the bundled schema with no errors', async () => {
    expect(await validateManifest(manifest)).toEqual([]);
  });

  it('passes the rules the schema does not express', () => {
    expect(checkManifestRules(manifest)).toEqual([]);
  });

  it('declares the bot, the tabs, SSO and the domain', () => {
    const bot = manifest.bots[0];
    expect(bot.botId).toBe(localVars.BOT_ID);
    expect(bot.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(bot.supportsFiles).toBe(false);
    const ladder = manifest.staticTabs.find((t: Json) => t.entityId === 'ladder');
    const host = localVars.TAB_DOMAIN; // localhost:3978 in the committed env/.env.local
    expect(ladder.contentUrl).toBe(`https://${host}/tab/index.html?view=ladder`);
    expect(ladder.scopes).toEqual(['personal']);
    expect(manifest.configurableTabs[0]).toMatchObject({
      configurationUrl: `https://${host}/tab/config.html`,
      canUpdateConfiguration: true,
      scopes: ['team'],
    });
    expect(manifest.webApplicationInfo).toEqual({
      id: localVars.TAB_APP_ID,
      resource: `api://${host}/${localVars.TAB_APP_ID}`,
    });
    expect(manifest.validDomains).toEqual([host]);
    expect(manifest.id).toBe(localVars.TEAMS_APP_ID);
    expect(manifest.name.short).toBe(`Reverse Mentor${localVars.APP_NAME_SUFFIX}`);
  });

  it('reports a wrong field, so validation can fail', async () => {
    const broken = JSON.parse(JSON.stringify(manifest)) as Json;
    broken.bots[0].botId = 'not-a-guid';
    broken.accentColour = '#0E7C86';
    delete broken.developer.privacyUrl;
    const errors = await validateManifest(broken);
    expect(errors.some((e) => e.includes('/bots/0/botId') && e.includes('pattern'))).toBe(true);
    expect(errors.some((e) => e.includes('accentColour'))).toBe(true);
    expect(errors.some((e) => e.includes('privacyUrl'))).toBe(true);
  });

  it('reports tab URLs outside validDomains and command lists longer than Teams shows', () => {
    const broken = JSON.parse(JSON.stringify(manifest)) as Json;
    broken.staticTabs[0].contentUrl = 'https://elsewhere.example.com/tab/';
    broken.bots[0].commandLists[0].commands.push({ title: 'make coffee', description: 'no' });
    const problems = checkManifestRules(broken);
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringContaining('elsewhere.example.com is not in validDomains'),
      expect.stringContaining(`has ${MAX_COMMANDS_PER_LIST + 1} commands`),
    ]));
  });
});

describe('bot command lists', () => {
  const manifest = filled('manifest.json');
  const lists = manifest.bots[0].commandLists as { scopes: string[]; commands: { title: string; description: string }[] }[];

  it('has one list per scope, each within the Teams limit', () => {
    expect(lists.map((l) => l.scopes).flat().sort()).toEqual(['groupChat', 'personal', 'team']);
    for (const l of lists) {
      expect(l.commands.length).toBeGreaterThan(0);
      expect(l.commands.length).toBeLessThanOrEqual(MAX_COMMANDS_PER_LIST);
      expect(new Set(l.commands.map((c) => c.title)).size).toBe(l.commands.length);
    }
  });

  it('titles are exactly the words of a command in the command table', () => {
    for (const l of lists) {
      for (const c of l.commands) {
        const parsed = parse(c.title, COMMANDS);
        expect(parsed.kind).toBe('command');
        if (parsed.kind === 'command') {
          expect(parsed.def.words).toBe(c.title);
          expect(COMMANDS).toContain(parsed.def);
        }
        // As Teams sends it in a channel: an @mention of the bot, then the title.
        const mentioned = parse(`<at>Reverse Mentor</at> ${c.title}`, COMMANDS);
        expect(mentioned.kind === 'command' && mentioned.def.words).toBe(c.title);
        expect(c.description.length).toBeGreaterThan(0);
      }
    }
  });

  it("each scope's list is exactly the commands whose menu names it in the command table (bot/handlers/commands.ts)", () => {
    const titles = (scope: string) => lists.find((l) => l.scopes.includes(scope))!.commands.map((c) => c.title);
    for (const scope of ['personal', 'team', 'groupChat'] as const) {
      expect([...titles(scope)].sort()).toEqual(COMMANDS.filter((c) => c.menu.includes(scope)).map((c) => c.words).sort());
    }
    // The 1:1 chat offers user commands only (Teams shows ten); admins find theirs in teams.
    expect(COMMANDS.filter((c) => c.menu.includes('personal')).every((c) => !c.admin)).toBe(true);
    // Every user command but "resume" (answered by the pause card and the help card) and "forget me"
    // (the consent text, help and "my data" name it; Teams shows ten) is offered there.
    expect(COMMANDS.filter((c) => !c.admin && !c.menu.includes('personal')).map((c) => c.words).sort()).toEqual(['forget me', 'resume']);
    expect(titles('personal')).toContain('my progress');
    expect(titles('team')).toEqual(expect.arrayContaining(['help', 'programme open', 'status', 'knowledge map', 'pair']));
  });
});

describe('localization files', () => {
  const manifest = filled('manifest.json');

  it('are the additional languages de and nl, English being the default', () => {
    expect(manifest.localizationInfo).toEqual({
      defaultLanguageTag: 'en',
      additionalLanguages: [
        { languageTag: 'de', file: 'de.json' },
        { languageTag: 'nl', file: 'nl.json' },
      ],
    });
  });

  it.each(LANGS)('%s validates offline against the bundled localization schema', async (name) => {
    const loc = filled(name);
    expect(loc.$schema).toBe('https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.Localization.schema.json');
    expect(await validateLocalization(loc)).toEqual([]);
  });

  it.each(LANGS)('%s translates names, descriptions, tab names and every command description', (name) => {
    const loc = filled(name);
    expect(loc['name.short']).toBe(manifest.name.short);
    for (const k of ['name.full', 'description.short', 'description.full']) {
      expect(loc[k]).toBeTruthy();
      expect(loc[k]).not.toBe(manifest[k.split('.')[0]][k.split('.')[1]]);
    }
    manifest.description.features.forEach((_f: Json, i: number) => {
      expect(loc[`description.features[${i}].title`]).toBeTruthy();
      expect(loc[`description.features[${i}].description`]).toBeTruthy();
    });
    expect(loc['staticTabs[0].name']).toBeTruthy();
    manifest.bots[0].commandLists.forEach((l: Json, li: number) =>
      l.commands.forEach((_c: Json, ci: number) => {
        expect(loc[`bots[0].commandLists[${li}].commands[${ci}].description`]).toBeTruthy();
      }),
    );
  });

  it.each(LANGS)('%s only has keys that point at something in the manifest', (name) => {
    const loc = filled(name);
    for (const key of Object.keys(loc)) {
      if (key === '$schema') continue;
      // "bots[0].commandLists[1].commands[3].description" -> walk the manifest
      const parts = key.split('.').flatMap((p) => {
        const m = /^(\w+)((?:\[\d+\])*)$/.exec(p)!;
        return [m[1], ...[...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]))];
      });
      let node: unknown = manifest;
      for (const p of parts) node = (node as Record<string | number, unknown> | undefined)?.[p];
      expect([key, typeof node]).toEqual([key, 'string']);
    }
  });

  it.each(LANGS)('%s keeps command titles as the bot words (Teams sends the title as typed)', (name) => {
    const loc = filled(name);
    for (const [key, value] of Object.entries(loc)) {
      if (!/\.title$/.test(key) || !key.startsWith('bots[')) continue;
      const parsed = parse(String(value), COMMANDS);
      expect(parsed.kind === 'command' && parsed.def.words).toBe(value);
    }
  });

  it('reports a wrong key, so validation can fail', async () => {
    const loc = filled('de.json');
    loc['description.shrt'] = 'x';
    loc['staticTabs[0].name'] = 42;
    const errors = await validateLocalization(loc);
    expect(errors.some((e) => e.includes('description.shrt'))).toBe(true);
    expect(errors.some((e) => e.includes('staticTabs[0].name'))).toBe(true);
  });
});

describe('icons', () => {
  const color = fs.readFileSync(path.join(APP, 'color.png'));
  const outline = fs.readFileSync(path.join(APP, 'outline.png'));

  it('color.png is 192x192 and fully opaque', () => {
    expect(pngSize(color)).toEqual({ width: 192, height: 192 });
    expect(checkIcon('color', color)).toEqual([]);
    const png = PNG.sync.read(color);
    let translucent = 0;
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) translucent++;
    expect(translucent).toBe(0);
  });

  it('outline.png is 32x32, white on a fully transparent background', () => {
    expect(pngSize(outline)).toEqual({ width: 32, height: 32 });
    expect(checkIcon('outline', outline)).toEqual([]);
    const png = PNG.sync.read(outline);
    let transparent = 0, opaqueWhite = 0, notWhite = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const a = png.data[i + 3];
      if (a === 0) transparent++;
      else if (png.data[i] !== 255 || png.data[i + 1] !== 255 || png.data[i + 2] !== 255) notWhite++;
      if (a === 255) opaqueWhite++;
    }
    expect(notWhite).toBe(0);
    expect(transparent).toBeGreaterThan(32 * 32 * 0.4);
    expect(opaqueWhite).toBeGreaterThan(32 * 32 * 0.1);
  });

  it('are what appPackage/icons.ts draws', () => {
    expect(PNG.sync.read(color).data.equals(colorIcon().data)).toBe(true);
    expect(PNG.sync.read(outline).data.equals(outlineIcon().data)).toBe(true);
  });

  it('a wrong size or a coloured outline is reported', () => {
    expect(checkIcon('outline', color)).toEqual([expect.stringContaining('must be 32x32')]);
    expect(checkIcon('color', outline)).toEqual([expect.stringContaining('must be 192x192')]);
    expect(checkIcon('outline', Buffer.from('not a png'))).toEqual(['outline icon is not a PNG']);
  });
});

describe('env files and placeholders', () => {
  it('parses Toolkit env files', () => {
    expect(parseEnvFile('# c\nA=1\nexport B = "two words"\nC=\nD=x # note\n\nbad line\n')).toEqual({ A: '1', B: 'two words', C: '', D: 'x' });
    // As the Toolkit's dotenv reads them: a BOM, quoted "#", \n in double quotes, a value over two lines.
    expect(parseEnvFile('\uFEFFA=1\r\nU="https://x/#y"\r\nM="a\\nb"\nL="one\ntwo"\n')).toEqual({ A: '1', U: 'https://x/#y', M: 'a\nb', L: 'one\ntwo' });
  });

  it('fill lists every unfilled name at once and escapes values for JSON', () => {
    expect(() => fill('${{A}} ${{B}} ${{C}} ${{APP_NAME_SUFFIX}}', { A: 'x', C: '', APP_NAME_SUFFIX: '' }, 't')).toThrow(PackageError);
    try {
      fill('${{A}} ${{B}} ${{C}}', { A: 'x', C: '' }, 't');
    } catch (e) {
      expect((e as PackageError).problems).toEqual(['B', 'C']);
      expect((e as Error).message).toMatch(/t needs values for 2 variable\(s\)[\s\S]*- B[\s\S]*- C/);
    }
    expect(fill('{"a":"${{ A }}"}', { A: 'say "hi"\\' })).toBe('{"a":"say \\"hi\\"\\\\"}');
  });

  it('reads env/.env.<env>.user over env/.env.<env>', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-env-'));
    fs.mkdirSync(path.join(root, 'env'));
    fs.writeFileSync(path.join(root, 'env', '.env.dev'), 'A=1\nB=2\n');
    fs.writeFileSync(path.join(root, 'env', '.env.dev.user'), 'B=3\nSECRET_X=s\n');
    expect(loadEnv('dev', root)).toEqual({ A: '1', B: '3', SECRET_X: 's' });
    expect(() => loadEnv('prod', root)).toThrow(/No environment file env\/\.env\.prod\. Known environments: dev/);
    expect(() => loadEnv('../x', root)).toThrow(/not a valid environment name/);
  });

  it('parses the command line', () => {
    expect(parseArgs([])).toEqual({ env: 'local' });
    expect(parseArgs(['--env', 'dev'])).toEqual({ env: 'dev' });
    expect(parseArgs(['--env=prod'])).toEqual({ env: 'prod' });
    expect(parseArgs(['-e', 'dev'])).toEqual({ env: 'dev' });
    expect(() => parseArgs(['--bogus'])).toThrow(/Unknown argument "--bogus"/);
    expect(() => parseArgs(['dev'])).toThrow(/Unknown argument "dev"/);
    expect(() => parseArgs(['--env'])).toThrow(/--env needs a name/);
    expect(() => parseArgs(['--env='])).toThrow(/--env needs a name/);
  });

  it('an environment that is not provisioned yet is refused, with every missing name', async () => {
    const vars = { ...parseEnvFile(fs.readFileSync(path.join(REPO_ROOT, 'env/.env.dev'), 'utf8')), TEAMS_APP_ID: '', BOT_ID: '', TAB_APP_ID: '', TAB_DOMAIN: '' };
    await expect(build({ env: 'dev', vars, outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rm-pkg-')) })).rejects.toThrow(
      /TEAMS_APP_ID[\s\S]*TAB_DOMAIN[\s\S]*BOT_ID[\s\S]*TAB_APP_ID/,
    );
  });
});

describe('npm run package (build)', () => {
  it('builds appPackage.local.zip whose manifest validates', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-pkg-'));
    const result = await build({ env: 'local', outDir });
    expect(result.zipPath).toBe(path.join(outDir, 'appPackage.local.zip'));
    const zip = await JSZip.loadAsync(fs.readFileSync(result.zipPath));
    const names = Object.keys(zip.files).sort();
    expect(names).toEqual(['color.png', 'de.json', 'manifest.json', 'nl.json', 'outline.png']);
    const manifestText = await zip.file('manifest.json')!.async('string');
    expect(manifestText).not.toContain('${{');
    const manifest = JSON.parse(manifestText) as Json;
    expect(await validateManifest(manifest)).toEqual([]);
    expect(referencedFiles(manifest).sort()).toEqual(['color.png', 'de.json', 'nl.json', 'outline.png']);
    for (const lang of LANGS) {
      expect(await validateLocalization(JSON.parse(await zip.file(lang)!.async('string')) as Json)).toEqual([]);
    }
    const outline = await zip.file('outline.png')!.async('nodebuffer');
    expect(outline.equals(fs.readFileSync(path.join(APP, 'outline.png')))).toBe(true);
    expect(fs.existsSync(path.join(outDir, 'manifest.local.json'))).toBe(true);
    // Same inputs, same bytes.
    const again = await build({ env: 'local', outDir: fs.mkdtempSync(path.join(os.tmpdir(), 'rm-pkg-')) });
    expect(fs.readFileSync(again.zipPath).equals(fs.readFileSync(result.zipPath))).toBe(true);
  });

  it('refuses to build a package whose manifest does not validate', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rm-root-'));
    fs.mkdirSync(path.join(root, 'appPackage'));
    for (const f of ['manifest.json', 'color.png', 'outline.png', 'de.json', 'nl.json']) {
      fs.copyFileSync(path.join(APP, f), path.join(root, 'appPackage', f));
    }
    const m = JSON.parse(read('manifest.json')) as Json;
    m.bots[0].supportsFiles = 'no';
    fs.copyFileSync(path.join(APP, 'color.png'), path.join(root, 'appPackage', 'big.png'));
    m.icons.outline = 'big.png';
    fs.writeFileSync(path.join(root, 'appPackage', 'manifest.json'), JSON.stringify(m));
    const outDir = path.join(root, 'out');
    await expect(build({ env: 'local', root, vars: localVars, outDir })).rejects.toThrow(
      /not valid[\s\S]*supportsFiles[\s\S]*big\.png: outline icon must be 32x32/,
    );
    expect(fs.existsSync(path.join(outDir, 'appPackage.local.zip'))).toBe(false);
  });
});
