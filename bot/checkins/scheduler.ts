// The scheduler tick, from a timer in every instance (workers.ts): the per-programme work is
// services/schedule.ts, idempotent, so several instances can tick at once.
import { scheduleAll } from '../services/schedule';
import type { Services } from '../services/services';

export const runScheduler = (svc: Services): Promise<void> => scheduleAll(svc);
