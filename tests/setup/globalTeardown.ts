import type { AzuriteHandle } from '../../bot/dev/azurite';

export default async function globalTeardown(): Promise<void> {
  const azurite = (globalThis as { __AZURITE__?: AzuriteHandle }).__AZURITE__;
  await azurite?.stop();
}
