// The Playground signs in one fixed user; playgroundConfigAs derives a config that signs in
// another configured user (used by the end-to-end test and PLAYGROUND_USERS in npm start).
import * as fs from 'fs';
import { PLAYGROUND_CONFIG, PLAYGROUND_USER, playgroundConfigAs } from '../bot/dev/playground';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function users(yml: string): { current: Record<string, string>; others: Array<Record<string, string>> } {
  const lines = yml.split('\n');
  const current: Record<string, string> = {};
  const others: Array<Record<string, string>> = [];
  let section = '';
  for (const line of lines) {
    if (/^\S/.test(line)) section = line.replace(/:.*/, '');
    const m = /^\s+(?:-\s+)?(\w+):\s*(.+)$/.exec(line);
    if (!m) continue;
    if (section === 'currentUser') current[m[1]] = m[2];
    if (section === 'users') {
      if (/^\s+-/.test(line)) others.push({});
      others[others.length - 1][m[1]] = m[2];
    }
  }
  return { current, others };
}

describe('Playground config', () => {
  const source = fs.readFileSync(PLAYGROUND_CONFIG, 'utf8');

  it('signs in Alex Wilber, the local admin, with GUID ids for everyone', () => {
    const { current, others } = users(source);
    expect(current).toMatchObject({ name: 'Alex Wilber', aadObjectId: PLAYGROUND_USER });
    for (const u of [current, ...others]) expect(u.aadObjectId).toMatch(GUID);
    expect(source).toMatch(/^tenantId: [0-9a-f-]{36}$/m);
  });

  it('derives a config signed in as another configured user, with everyone else kept', () => {
    const before = users(source);
    const derived = playgroundConfigAs('Megan Bowen', source);
    const after = users(derived);
    expect(after.current).toEqual(before.others.find((u) => u.name === 'Megan Bowen'));
    expect(after.others).toContainEqual(before.current);
    expect(after.others.map((u) => u.name).sort()).toEqual(
      [...before.others.filter((u) => u.name !== 'Megan Bowen').map((u) => u.name), 'Alex Wilber'].sort(),
    );
    // Same tenant and team; Megan has her own 1:1 chat with the bot.
    expect(derived).toContain(/^tenantId: .*$/m.exec(source)![0]);
    expect(derived).toContain('  aadGroupId: a1e70000-0000-4000-8000-000000000031');
    expect(/^personalChat:\n {2}id: (.*)$/m.exec(derived)?.[1]).toBe('personal-chat-user-id-1');
  });

  it('refuses a name that is not configured', () => {
    expect(() => playgroundConfigAs('Nobody Here', source)).toThrow(/no user named/);
  });
});
