// Background work inside the server: the check-in scheduler and the queue dispatcher.
import type { Services } from '../services/services';

export interface Workers {
  stop(): Promise<void>;
}

export function startCheckinWorkers(_svc: Services): Workers {
  return { stop: async () => undefined };
}
