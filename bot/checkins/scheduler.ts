// The scheduler tick: for every running (or closing) programme of every tenant, close rounds whose
// time is up, open the round that is due, resume an opening that crashed, queue due reminders.
// Every step is idempotent (round numbers are keys, flags are ETag writes), so several instances
// can tick at once.
import type { Programme } from '../domain/types';
import { scheduleProgramme } from '../services/checkins';
import type { Services } from '../services/services';

export async function runScheduler(svc: Services): Promise<void> {
  // The programmes table is small (tens per tenant): one filtered scan finds the live ones.
  const live = await svc.store.programmes.query("status eq 'running' or status eq 'closing'");
  for (const { value: p } of live) {
    await scheduleProgramme(svc, p as Programme).catch((err) => {
      console.error(`[checkins] scheduling a programme failed: ${(err as Error)?.name ?? 'Error'}`);
    });
  }
}
