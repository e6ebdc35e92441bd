// The "ladder" command over HTTP: a participant sees their ladder for the programme's levels,
// the next suggested session follows their progress, and the tab button opens the app's tab.
import { cardOf, textOf } from './connector/connector';
import { createProgramme, join } from './helpers/flows';
import { Harness, startHarness, TENANT, user } from './helpers/harness';
import { getCatalogue } from '../bot/domain/ladder';
import { setProgress } from '../bot/services/progress';

const admin = user('Ada Admin');
const sam = user('Sam Senior');
const TEAMS_APP_ID = '5a6b0000-0000-4000-8000-0000000000aa';

describe('"ladder" command', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ BOT_ADMINS: admin.aadObjectId, TEAMS_APP_ID });
    await createProgramme(h, admin, { levels: '2,3' });
    await h.say(admin, 'programme open');
    await join(h, sam, { role: 'mentee', department: 'Sales', seniority: 'director', skills: [1, 0, 0, 0, 0], wantLevels: [3] });
  });
  afterAll(async () => h.stop());

  it('someone in no programme is told how to join', async () => {
    const [reply] = await h.say(user('Nina New'), 'ladder');
    expect(textOf(reply)).toMatch(/not in a programme yet.*join/);
  });

  it('shows only the levels in scope, and suggests the first tutorial of the level the mentee wants', async () => {
    const catalogue = getCatalogue('en');
    const [l2, l3] = [catalogue.levels[1], catalogue.levels[2]];
    const [reply] = await h.say(sam, 'ladder');
    const text = textOf(reply);
    expect(text).toContain(`Digital Leaders 2027: 0 of ${l2.tutorials.length + l3.tutorials.length} tutorials done (0%)`);
    expect(text).toContain(`2 · ${l2.title}`);
    expect(text).toContain(`3 · ${l3.title} (you want this)`);
    expect(text).not.toContain(`1 · ${catalogue.levels[0].title}`);
    expect(text).toContain(`${l3.tutorials[0].title} (${l3.tutorials[0].durationMinutes} min)`);
    expect(JSON.stringify(cardOf(reply))).toContain(`https://teams.microsoft.com/l/entity/${TEAMS_APP_ID}/ladder`);
  });

  it('follows progress: a done tutorial counts and the suggestion moves on; German on a German client', async () => {
    const l3 = getCatalogue('en').levels[2];
    await setProgress(h.svc, TENANT, sam.aadObjectId, l3.tutorials[0].id, 'done');
    const [reply] = await h.say(sam, 'ladder');
    expect(textOf(reply)).toContain(`1/${l3.tutorials.length} done`);
    expect(textOf(reply)).toContain(`${l3.tutorials[1].title} (`);
    const [de] = await h.say(sam, 'ladder', { locale: 'de-DE' });
    expect(textOf(de)).toMatch(/Ihre Tutorial-Leiter/);
    expect(textOf(de)).toContain(getCatalogue('de').levels[2].tutorials[1].title);
  });
});
