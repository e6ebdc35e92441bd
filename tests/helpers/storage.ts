// Each test file gets its own table prefix in the shared Azurite, so files never see each other's data.
import { Store } from '../../bot/storage/store';

let counter = 0;
export function testPrefix(): string {
  return `t${process.pid.toString(36)}${Date.now().toString(36)}${(counter++).toString(36)}`.replace(/[^a-z0-9]/gi, '').slice(0, 20);
}

export function connectionString(): string {
  const cs = process.env.TEST_STORAGE_CONNECTION_STRING;
  if (!cs) throw new Error('Azurite was not started by the jest globalSetup');
  return cs;
}

export async function testStore(prefix = testPrefix()): Promise<Store> {
  const store = new Store({ connectionString: connectionString(), tablePrefix: prefix });
  await store.ensureTables();
  return store;
}
