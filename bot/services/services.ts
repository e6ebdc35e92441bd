// Everything a handler or the tab API may use, created once per server.
import type { Config } from '../config';
import type { Store } from '../storage/store';
import type { Notifier } from './notifier';

export interface Services {
  config: Config;
  store: Store;
  notifier: Notifier;
  /** Current time; injectable so schedules and rounds can be tested. */
  now(): Date;
}
