// Background work inside the server: the check-in scheduler (a timer) and the dispatcher (workers
// draining the Azure Queue). Every instance runs both; storage ETags and the dispatch records
// keep them from doing anything twice.
import type { Services } from '../services/services';
import type { JobQueue } from '../storage/queue';
import { Dispatcher } from './dispatcher';
import type { DispatchStats } from './jobRunner';
import { SendBudget } from '../services/sendBudget';
import { Pacer } from './pacer';
import { SharedSlots } from './sharedSlots';
import { runScheduler } from './scheduler';
import type { Sender } from '../services/sender';

export interface WorkerOptions {
  /** Parallel jobs (default: DISPATCHER_CONCURRENCY). */
  concurrency?: number;
  /** How long a claimed send stays claimed, and a received job hidden, without this instance renewing it (default: DISPATCH_LEASE_SECONDS). */
  leaseSeconds?: number;
  /** Proactive sends per second per tenant, all instances together (default: SEND_RATE_PER_SECOND). */
  ratePerSecond?: number;
  /** Pace within this process only, not with the other instances (tests of the pacer itself). */
  localBudget?: boolean;
  /** Longest wait between polls of an empty queue. */
  maxIdleMs?: number;
  /** Run the scheduler timer (default: when SCHEDULER_INTERVAL_SECONDS > 0). */
  scheduler?: boolean;
  /** Default: a new one from the services (the Bot Connector's, in the server). */
  sender?: Sender;
  queue?: JobQueue;
}

export interface Workers {
  readonly stats: DispatchStats;
  /** Graceful: stops taking jobs, finishes the ones under way, hands back the rest. */
  stop(): Promise<void>;
  /** Abrupt, as a crash: stops at once, writes nothing more, hands back nothing. */
  kill(): void;
}

export function startCheckinWorkers(svc: Services, opts: WorkerOptions = {}): Workers {
  const queue = opts.queue ?? svc.queue;
  const sender = opts.sender ?? svc.newSender();
  const rate = opts.ratePerSecond ?? svc.config.sendRatePerSecond;
  // The per-app-and-tenant budget is shared with every other instance on this storage account.
  const slots = opts.localBudget ? undefined : new SharedSlots(rate === svc.config.sendRatePerSecond ? svc.budget : new SendBudget(svc, 1000 / rate));
  const pacer = new Pacer(rate, undefined, undefined, slots);
  const leaseSeconds = opts.leaseSeconds ?? svc.config.dispatchLeaseSeconds;
  const dispatcher = new Dispatcher(queue, svc, sender, pacer, leaseSeconds, opts.concurrency ?? svc.config.dispatcherConcurrency, opts.maxIdleMs ?? 1000);

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  const withScheduler = opts.scheduler ?? svc.config.schedulerIntervalMs > 0;
  if (withScheduler) {
    const tick = () => {
      ticking ??= runScheduler(svc)
        .catch((err) => console.error(`[checkins] scheduler failed: ${(err as Error)?.name ?? 'Error'}`))
        .finally(() => (ticking = undefined));
    };
    timer = setInterval(tick, Math.max(1000, svc.config.schedulerIntervalMs));
    timer.unref();
    setTimeout(tick, 1000).unref();
  }

  const workers: Workers = {
    stats: dispatcher.stats,
    async stop() {
      if (timer) clearInterval(timer);
      await dispatcher.stop();
      await ticking;
      sender.close?.();
    },
    kill() {
      if (timer) clearInterval(timer);
      dispatcher.kill();
      sender.close?.();
    },
  };
  return workers;
}
