// Everything a handler, the tab's views or a worker may use, created once per server
// (bot/startup.ts). Handlers reach storage only through the services in this folder.
import type { Sender } from './sender';
import type { Config } from '../config';
import type { JobQueue } from '../storage/queue';
import type { Store } from '../storage/store';
import type { Calendars } from './calendar';
import type { Directory } from './directory';
import type { Notifier } from './notifier';
import type { SendBudget } from './sendBudget';

export interface Services {
  config: Config;
  store: Store;
  /** The check-in job queue (Azure Queue Storage); the dispatcher drains it. */
  queue: JobQueue;
  notifier: Notifier;
  /** The tenant's proactive send budget, shared by every instance (Teams allows about 50 a second). */
  budget: SendBudget;
  /** Entra ID through Microsoft Graph (NO_DIRECTORY when none is configured). */
  directory: Directory;
  /** Outlook calendars through Graph, for the signed-in person (NO_CALENDARS when not configured). */
  calendars: Calendars;
  /** A new sender for the check-in dispatcher (one attempt per call; closed with the workers). */
  newSender(): Sender;
  /** Current time; injectable so schedules and rounds can be tested. */
  now(): Date;
}

// What callers may have to tell people about: storage down, a lost race.
export { ConcurrencyError, StorageUnavailableError } from '../storage/repository';
