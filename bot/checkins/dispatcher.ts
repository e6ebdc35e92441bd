// The dispatcher: workers draining the Azure Queue, each message's people in turn through the
// JobRunner (jobRunner.ts), sends paced within Teams' limits (pacer.ts). Stopping hands unfinished
// messages back to the queue; a kill stops at once, as a crash would.
import { randomUUID } from 'crypto';
import { jobsOf } from '../domain/checkins';
import type { Services } from '../services/services';
import type { JobQueue, Received } from '../storage/queue';
import { DispatchStats, JobOutcome, JobRunner, Killed, newStats, Prefetched } from './jobRunner';
import type { Pacer } from './pacer';
import type { Sender } from '../services/sender';

/** Jobs delivered this often without success are given up (the record says failed). */
const MAX_DEQUEUE = 12;
const STOP_GRACE_MS = 15_000;

export class Dispatcher {
  readonly stats = newStats();
  private readonly buffer: Received[] = [];
  private running = true;
  private killed = false;
  private refilling?: Promise<void>;
  private wake?: () => void;
  private idleMs = 200;
  private readonly loops: Array<Promise<void>>;
  private readonly acks = new Set<Promise<void>>();
  private readonly batch: number;
  private readonly runner: JobRunner;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly queue: JobQueue,
    svc: Services,
    sender: Sender,
    pacer: Pacer,
    private readonly leaseSeconds: number,
    concurrency: number,
    private readonly maxIdleMs: number,
  ) {
    this.runner = new JobRunner({
      svc, sender, pacer, leaseMs: leaseSeconds * 1000, instance: randomUUID().slice(0, 8), stats: this.stats, isKilled: () => this.killed,
    });
    this.unsubscribe = queue.onEnqueue(() => {
      this.idleMs = 200;
      this.wake?.();
    });
    this.batch = Math.min(32, concurrency * 2);
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  private async loop(): Promise<void> {
    for (let m = await this.take(); m; m = await this.take()) await this.process(m);
  }

  private async take(): Promise<Received | undefined> {
    for (;;) {
      if (!this.running) return undefined;
      const m = this.buffer.shift();
      if (m) return m;
      this.refilling ??= this.refill().finally(() => (this.refilling = undefined));
      await this.refilling;
    }
  }

  private async refill(): Promise<void> {
    let got: Received[] = [];
    try {
      // A message holds up to 32 people: take about two per worker, so none waits past its visibility.
      got = await this.queue.receive(this.batch, this.leaseSeconds);
    } catch {
      // Storage down: try again later; the jobs wait in the queue.
      await this.idle(Math.max(this.idleMs, 2000));
      return;
    }
    if (this.killed) return;
    if (!this.running) {
      await Promise.all(got.map((m) => this.queue.release(m, 0).catch(() => false)));
      return;
    }
    if (got.length) {
      this.idleMs = 200;
      this.buffer.push(...got);
    } else {
      await this.idle(this.idleMs);
      this.idleMs = Math.min(this.maxIdleMs, this.idleMs * 2);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = undefined;
        resolve();
      }
      this.wake = done;
    });
  }

  /** One message: its people in turn. It is acknowledged once every one of them is done. */
  private async process(m: Received): Promise<void> {
    let outcome: JobOutcome = { ack: true };
    let records = new Map<string, Prefetched>();
    if (m.job && m.dequeueCount <= MAX_DEQUEUE) {
      try {
        records = await this.runner.prefetch(m.job);
      } catch {
        // Read one by one below.
      }
    }
    for (const job of m.job ? jobsOf(m.job) : []) {
      let one: JobOutcome;
      try {
        if (m.dequeueCount > MAX_DEQUEUE) {
          await this.runner.giveUp(job);
          one = { ack: true };
        } else one = await this.runner.run(job, records.get(job.userId));
      } catch (err) {
        if (err instanceof Killed || this.killed) return;
        // Log the kind only: jobs name people. The message comes back after a pause.
        console.error(`[checkins] job failed: ${(err as Error)?.name ?? 'Error'}`);
        one = { ack: false, retryInMs: 5000 };
      }
      if (this.killed) return;
      if (!one.ack) outcome = { ack: false, retryInMs: Math.min(outcome.ack ? Infinity : outcome.retryInMs, one.retryInMs) };
    }
    if (this.killed) return;
    // The record already says what happened, so the acknowledgement need not hold up the next
    // job: if it is lost, the job comes back and finds nothing to do.
    const ack = outcome.ack ? this.queue.delete(m) : this.queue.release(m, Math.ceil(outcome.retryInMs / 1000));
    const pending = ack.catch(() => false).then(() => void this.acks.delete(pending));
    this.acks.add(pending);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe();
    this.wake?.();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.all(this.loops), grace]);
    await Promise.all([...this.acks]);
    const left = this.buffer.splice(0);
    if (!this.killed) await Promise.all(left.map((m) => this.queue.release(m, 0).catch(() => false)));
    this.killed = true;
  }

  kill(): void {
    this.killed = true;
    this.running = false;
    this.unsubscribe();
    this.wake?.();
    this.buffer.length = 0;
  }
}

