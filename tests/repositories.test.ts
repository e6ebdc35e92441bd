import { odata } from '@azure/data-tables';
import { AlreadyExistsError, ConcurrencyError, key, keyPart, StorageUnavailableError, TooLargeError } from '../bot/storage/repository';
import { pairId, programmePartition, Store } from '../bot/storage/store';
import type { Pair, Participant, Programme } from '../bot/domain/types';
import { connectionString, testStore } from './helpers/storage';

const T = '11111111-1111-1111-1111-111111111111';
const T2 = '22222222-2222-2222-2222-222222222222';

function programme(id: string, tenantId = T): Programme {
  return {
    tenantId, id, name: `Programme ${id}`, objectives: 'Learn the digital workplace', startDate: '2026-01-05', endDate: '2026-06-30',
    levels: [1, 2, 3], cadenceWeeks: 1, enrolment: 'open', maxMenteesPerMentor: 2, status: 'draft', timeZone: 'Europe/Berlin',
    checkinWeekday: 'mon', checkinHour: 9, reminderAfterDays: 3, createdBy: 'admin', createdAt: new Date().toISOString(),
  };
}

function participant(userId: string, role: 'mentor' | 'mentee', programmeId = 'p1'): Participant {
  return {
    tenantId: T, programmeId, userId, role, status: 'active', name: userId, department: 'Sales', seniority: 'staff',
    languages: ['en', 'de'], timeZone: 'Europe/Berlin', sessionsPerMonth: 2, preferredDays: ['tue'], skills: [3, 2, 1, 0, 0],
    wantLevels: role === 'mentee' ? [1, 2] : [], joinedAt: new Date().toISOString(), excluded: [],
  };
}

describe('repositories against Azurite', () => {
  let store: Store;
  beforeAll(async () => {
    store = await testStore();
  });

  it('creates, reads, lists, replaces and deletes programmes, keeping arrays intact', async () => {
    await store.programmes.create(programme('p1'));
    await store.programmes.create(programme('p2'));
    const got = await store.programmes.get(key(T), key('p1'));
    expect(got?.value.levels).toEqual([1, 2, 3]);
    expect(got?.value.name).toBe('Programme p1');
    const all = await store.programmes.list(key(T));
    expect(all.map((p) => p.value.id).sort()).toEqual(['p1', 'p2']);
    const etag = await store.programmes.replace({ ...got!.value, status: 'open' }, got!.etag);
    expect(etag).toBeTruthy();
    expect((await store.programmes.get(key(T), key('p1')))?.value.status).toBe('open');
    expect(await store.programmes.delete(key(T), key('p2'))).toBe(true);
    expect(await store.programmes.get(key(T), key('p2'))).toBeUndefined();
    expect(await store.programmes.delete(key(T), key('p2'))).toBe(false);
  });

  it('keeps tenants apart: one tenant never lists another tenant\'s programmes', async () => {
    await store.programmes.create(programme('shared-id', T2));
    const ofT = await store.programmes.list(key(T));
    expect(ofT.every((p) => p.value.tenantId === T)).toBe(true);
    expect(await store.programmes.get(key(T), key('shared-id'))).toBeUndefined();
  });

  it('refuses a duplicate create (so creates are idempotent)', async () => {
    await store.participants.create(participant('u1', 'mentor'));
    await expect(store.participants.create(participant('u1', 'mentor'))).rejects.toBeInstanceOf(AlreadyExistsError);
  });

  it('a concurrent update that loses on its ETag is refused, not silently applied', async () => {
    await store.participants.create(participant('u2', 'mentee'));
    const pk = programmePartition(T, 'p1');
    const a = await store.participants.get(pk, key('u2'));
    const b = await store.participants.get(pk, key('u2'));
    await store.participants.replace({ ...a!.value, department: 'Finance' }, a!.etag);
    await expect(store.participants.replace({ ...b!.value, department: 'Legal' }, b!.etag)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.participants.get(pk, key('u2')))?.value.department).toBe('Finance');
  });

  it('mutate re-applies a change after losing a race, so both concurrent edits survive', async () => {
    await store.participants.create(participant('u3', 'mentee'));
    const pk = programmePartition(T, 'p1');
    await Promise.all([
      store.participants.mutate(pk, key('u3'), (p) => p && { ...p, languages: [...p.languages, 'nl'] }),
      store.participants.mutate(pk, key('u3'), (p) => p && { ...p, excluded: [...p.excluded, 'x'] }),
    ]);
    const after = (await store.participants.get(pk, key('u3')))!.value;
    expect(after.languages).toContain('nl');
    expect(after.excluded).toEqual(['x']);
  });

  it('lists a programme\'s participants and filters pairs by member', async () => {
    const pk = programmePartition(T, 'p1');
    const everyone = await store.participants.list(pk);
    expect(everyone.map((p) => p.value.userId).sort()).toEqual(['u1', 'u2', 'u3']);
    const pair: Pair = {
      tenantId: T, programmeId: 'p1', id: pairId('u1', 'u2'), mentorId: 'u1', menteeId: 'u2', status: 'active', score: 80,
      reasons: [{ code: 'teaches-level', level: 1 }], proposalId: 'pr1', createdAt: new Date().toISOString(),
    };
    await store.pairs.create(pair);
    const mine = await store.pairs.list(pk, `menteeId eq 'u2' or mentorId eq 'u2'`);
    expect(mine.map((p) => p.value.id)).toEqual([pair.id]);
  });

  it('a transaction in one partition is all or nothing', async () => {
    const pk = programmePartition(T, 'p9');
    const a = participant('a', 'mentor', 'p9');
    await store.participants.create(a);
    const b = participant('b', 'mentee', 'p9');
    await expect(store.participants.transaction([['create', b], ['create', a]])).rejects.toBeInstanceOf(AlreadyExistsError);
    expect(await store.participants.get(pk, key('b'))).toBeUndefined();
  });

  it('escapes characters Table Storage forbids in keys and refuses oversized records', async () => {
    expect(keyPart('29:a/b#c?d|e')).toBe('29:a%2fb%23c%3fd%7ce');
    const odd = participant('29:1a/b#?', 'mentee');
    await store.participants.create(odd);
    expect((await store.participants.get(programmePartition(T, 'p1'), key('29:1a/b#?')))?.value.userId).toBe('29:1a/b#?');
    await expect(store.participants.create({ ...participant('big', 'mentee'), name: 'x'.repeat(40000) })).rejects.toBeInstanceOf(TooLargeError);
  });

  it('stores long JSON lists across several properties and reads them back whole', async () => {
    const unmatched = Array.from({ length: 3000 }, (_, i) => ({ userId: `user-${i}`, role: 'mentee' as const, reason: { code: 'no-mentor-covers-level', level: 4 } }));
    const record = { tenantId: T, programmeId: 'p1', id: 'prop1', status: 'open' as const, createdBy: 'a', createdAt: 'now', pairCount: 0, totalScore: 0, unmatched };
    await store.proposals.create(record);
    const back = await store.proposals.get(programmePartition(T, 'p1'), key('prop1'));
    expect(back?.value.unmatched).toHaveLength(3000);
    expect(back?.value.unmatched[2999]).toEqual(unmatched[2999]);
    expect(Object.keys(back!.value).some((k) => k.includes('__'))).toBe(false);
  });

  it('reads only the asked fields of every matching record, over several pages, as the full read decodes them', async () => {
    const pk = programmePartition(T, 'many');
    const people = Array.from({ length: 1234 }, (_, i) => ({ ...participant(`m${String(i).padStart(4, '0')}`, 'mentee', 'many'), sessionsPerMonth: i % 4, skills: [i % 4, 0, 1, 2, 3] as Participant['skills'] }));
    for (let i = 0; i < people.length; i += 100) await store.participants.transaction(people.slice(i, i + 100).map((p) => ['create', p]));
    // Over 1,000 rows: the service answers in pages, continued by the next partition and row key.
    const read = await store.participants.project(odata`PartitionKey eq ${pk}`, ['userId', 'sessionsPerMonth', 'skills', 'languages']);
    expect(read).toHaveLength(1234);
    expect(read[1233]).toEqual({ userId: 'm1233', sessionsPerMonth: 1233 % 4, skills: [1233 % 4, 0, 1, 2, 3], languages: ['en', 'de'] });
    const full = (await store.participants.list(pk)).map((r) => r.value);
    expect(read).toEqual(full.map(({ userId, sessionsPerMonth, skills, languages }) => ({ userId, sessionsPerMonth, skills, languages })));
    expect(await store.participants.project(odata`PartitionKey eq ${pk} and sessionsPerMonth eq 3`, ['userId'])).toHaveLength(308);
    const down = new Store({ connectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;' });
    await expect(down.participants.project(odata`PartitionKey eq ${pk}`, ['userId'])).rejects.toBeInstanceOf(StorageUnavailableError);
  });

  it('signs every request with the account key itself (once decoded), and a wrong key is refused by the service', async () => {
    const names = store.programmes.client.pipeline.getOrderedPolicies().map((p) => p.name);
    expect(names).toContain('sharedKeyLite');
    expect(names).not.toContain('tablesNamedKeyCredentialPolicy');
    // Reads, writes, batches and table creation all went through it above; a key the account does not have is a 403.
    const cs = connectionString().replace(/AccountKey=[^;]+/, `AccountKey=${Buffer.alloc(64, 7).toString('base64')}`);
    const wrong = new Store({ connectionString: cs, tablePrefix: 'wrongkey' });
    await expect(wrong.programmes.get(key(T), key('p1'))).rejects.toMatchObject({ statusCode: 403 });
  });

  it('reports reachability for the health check', async () => {
    expect(await store.ping()).toBe(true);
    const down = new Store({ connectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;' });
    expect(await down.ping()).toBe(false);
  });
});
