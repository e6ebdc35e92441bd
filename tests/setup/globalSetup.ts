// One Azurite (Table + Queue) for the whole jest run, as a child process: in-process Azurite
// breaks once restify patches http.IncomingMessage (see STACK.md).
import { startAzurite } from '../../bot/dev/azurite';

export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.TEST_STORAGE_CONNECTION_STRING = azurite.connectionString;
  process.env.TEST_AZURITE_TABLE_PORT = String(azurite.tablePort);
  process.env.TEST_AZURITE_QUEUE_PORT = String(azurite.queuePort);
  (globalThis as { __AZURITE__?: unknown }).__AZURITE__ = azurite;
}
