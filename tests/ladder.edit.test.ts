// A company's edited tutorial catalogue (LADDER_CATALOGUE_DIR): the bot uses it; a broken edit
// stops the real server before it listens, listing every problem; `npm run ladder:check` says
// the same before anything is deployed.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { textOf } from './connector/connector';
import { createProgramme, join } from './helpers/flows';
import { Harness, startHarness, user } from './helpers/harness';
import { ConfigError, loadConfig } from '../bot/config';
import { loadCatalogues, useCatalogueDir } from '../bot/domain/ladder';
import type { Catalogue } from '../bot/domain/types';
import { LOCALES, Locale } from '../bot/domain/types';

const ROOT = path.join(__dirname, '..');
const admin = user('Ada Admin');
const sam = user('Sam Senior');

/** A copy of the shipped catalogue, changed by `edit`, in a fresh folder. */
function editedCopy(edit: (c: Record<Locale, Catalogue>) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ladder-edit-'));
  const catalogues = loadCatalogues();
  edit(catalogues);
  for (const l of LOCALES) fs.writeFileSync(path.join(dir, `catalogue.${l}.json`), JSON.stringify(catalogues[l], null, 2));
  return dir;
}

const RETITLED: Record<Locale, string> = { en: 'Tour the Contoso Yammer communities', de: 'Rundgang durch die Contoso-Communitys', nl: 'Rondleiding door de Contoso-community’s' };

const retitled = () =>
  editedCopy((c) => {
    for (const l of LOCALES) c[l].levels.find((lv) => lv.level === 2)!.tutorials[0].title = RETITLED[l];
  });

const broken = () =>
  editedCopy((c) => {
    c.de.levels.find((lv) => lv.level === 1)!.tutorials[0].durationMinutes = 500;
    c.nl.levels.find((lv) => lv.level === 4)!.tutorials.pop();
  });

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('an edited tutorial catalogue', () => {
  const dirs: string[] = [];
  const keep = (dir: string) => (dirs.push(dir), dir);
  afterAll(() => {
    useCatalogueDir(undefined);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is what the bot shows once LADDER_CATALOGUE_DIR points at it', async () => {
    const shippedTitle = loadCatalogues().en.levels.find((lv) => lv.level === 2)!.tutorials[0].title;
    let h: Harness | undefined;
    try {
      h = await startHarness({ BOT_ADMINS: admin.aadObjectId, LADDER_CATALOGUE_DIR: keep(retitled()) });
      await createProgramme(h, admin, { levels: '2,3' });
      await h.say(admin, 'programme open');
      await join(h, sam, { role: 'mentee', department: 'Sales', seniority: 'director', skills: [1, 0, 0, 0, 0], wantLevels: [2] });
      const [en] = await h.say(sam, 'ladder');
      expect(textOf(en)).toContain(RETITLED.en);
      expect(textOf(en)).not.toContain(shippedTitle);
      const [de] = await h.say(sam, 'ladder', { locale: 'de-DE' });
      expect(textOf(de)).toContain(RETITLED.de);
    } finally {
      await h?.stop();
      useCatalogueDir(undefined);
    }
  });

  it('stops the server before it listens when the edit is broken, listing every problem', () => {
    const { code, out } = run('bot/main.ts', [], {
      LADDER_CATALOGUE_DIR: keep(broken()),
      AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
      PORT: '0',
      SCHEDULER_INTERVAL_SECONDS: '0',
    });
    expect(code).toBe(1);
    expect(out).toContain('Reverse Mentor failed to start: The tutorial catalogue is invalid');
    expect(out).toMatch(/\[de\] level 1, tutorial "l1-[a-z-]+": durationMinutes must be .*found 500/);
    expect(out).toMatch(/\[nl\] tutorial "l4-[a-z-]+" is missing/);
    expect(out).not.toContain('listening');
  });

  it('is refused in the configuration when the folder does not exist', () => {
    const missing = path.join(os.tmpdir(), 'no-such-ladder-folder');
    expect(() => loadConfig({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', LADDER_CATALOGUE_DIR: missing })).toThrow(ConfigError);
    expect(() => loadConfig({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', LADDER_CATALOGUE_DIR: missing })).toThrow(/LADDER_CATALOGUE_DIR must be a folder/);
  });

  it('can be checked before deploying: `npm run ladder:check -- <folder>`', () => {
    const good = run('bot/ladderCheck.ts', [keep(retitled())]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/is valid: 5 levels, \d+ tutorials, the shipped business items, in en, de, nl/);

    const bad = run('bot/ladderCheck.ts', [keep(broken())]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/has 3 problem\(s\)/);
    expect(bad.out).toMatch(/durationMinutes must be .*found 500/);
    expect(bad.out).toMatch(/\[nl\] tutorial "l4-[a-z-]+" is missing/);

    const none = run('bot/ladderCheck.ts', [path.join(os.tmpdir(), 'no-such-ladder-folder')]);
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/cannot be read: .*catalogue\.en\.json/);
  });
});
