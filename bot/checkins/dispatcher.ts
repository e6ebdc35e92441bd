// The dispatcher: workers draining the Azure Queue. A queue message holds up to 32 people of a
// round; their jobs are spread over all workers (not one message per worker), so a message is done
// in the time its sends take at this instance's share of the rate. Each job goes through the
// JobRunner (jobRunner.ts), sends paced within Teams' limits (pacer.ts). Messages in hand are kept
// invisible to other instances while they are worked on; a crashed instance's messages come back
// after the lease. Stopping hands unfinished messages back; a kill stops at once, as a crash would.
import { randomUUID } from 'crypto';
import { Job, jobsOf } from '../domain/checkins';
import type { Sender } from '../services/sender';
import type { Services } from '../services/services';
import type { JobQueue, Received } from '../storage/queue';
import { DispatchStats, JobOutcome, JobRunner, Killed, newStats, Prefetched } from './jobRunner';
import type { Pacer } from './pacer';

/** Jobs delivered this often without success are given up (the record says failed). */
const MAX_DEQUEUE = 12;
const STOP_GRACE_MS = 15_000;

/** A message in hand: its jobs not yet done, and what they came to. */
interface Held {
  m: Received;
  left: number;
  outcome: JobOutcome;
}

interface Unit {
  job: Job;
  held: Held;
  prefetched?: Prefetched;
  giveUp: boolean;
}

export class Dispatcher {
  readonly stats = newStats();
  private readonly units: Unit[] = [];
  private readonly held = new Set<Held>();
  private running = true;
  private killed = false;
  private refilling?: Promise<void>;
  private wake?: () => void;
  private idleMs = 200;
  private readonly loops: Array<Promise<void>>;
  private readonly acks = new Set<Promise<void>>();
  private readonly runner: JobRunner;
  private readonly unsubscribe: () => void;
  private readonly extender: NodeJS.Timeout;

  constructor(
    private readonly queue: JobQueue,
    svc: Services,
    sender: Sender,
    pacer: Pacer,
    private readonly leaseSeconds: number,
    private readonly concurrency: number,
    private readonly maxIdleMs: number,
  ) {
    this.runner = new JobRunner({
      svc, sender, pacer, leaseMs: leaseSeconds * 1000, instance: randomUUID().slice(0, 8), stats: this.stats, isKilled: () => this.killed,
    });
    this.unsubscribe = queue.onEnqueue(() => {
      this.idleMs = 200;
      this.wake?.();
    });
    // Messages in hand stay hidden from other instances while this one works on them.
    this.extender = setInterval(() => this.extend(), Math.max(500, (leaseSeconds * 1000) / 3));
    this.extender.unref();
    this.loops = Array.from({ length: concurrency }, () => this.loop());
  }

  private async loop(): Promise<void> {
    for (let u = await this.take(); u; u = await this.take()) await this.work(u);
  }

  private async take(): Promise<Unit | undefined> {
    for (;;) {
      if (!this.running) return undefined;
      // Keep about one message of work ahead of the workers, not more: what is in hand waits.
      if (this.units.length < this.concurrency) this.refilling ??= this.refill().finally(() => (this.refilling = undefined));
      const u = this.units.shift();
      if (u) return u;
      await this.refilling;
    }
  }

  private async refill(): Promise<void> {
    let got: Received[] = [];
    try {
      got = await this.queue.receive(1 + Math.floor(this.concurrency / 16), this.leaseSeconds);
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
    if (!got.length) {
      await this.idle(this.idleMs);
      this.idleMs = Math.min(this.maxIdleMs, this.idleMs * 2);
      return;
    }
    this.idleMs = 200;
    for (const m of got) {
      const jobs = m.job ? jobsOf(m.job) : [];
      const held: Held = { m, left: jobs.length, outcome: { ack: true } };
      if (!jobs.length) {
        this.acknowledge(held);
        continue;
      }
      const giveUp = m.dequeueCount > MAX_DEQUEUE;
      let records = new Map<string, Prefetched>();
      if (!giveUp && m.job) records = await this.runner.prefetch(m.job).catch(() => new Map<string, Prefetched>());
      this.held.add(held);
      for (const job of jobs) this.units.push({ job, held, prefetched: records.get(job.userId), giveUp });
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

  /** One person of a message; the message is acknowledged once every one of its people is done. */
  private async work(u: Unit): Promise<void> {
    let one: JobOutcome;
    try {
      if (u.giveUp) {
        await this.runner.giveUp(u.job);
        one = { ack: true };
      } else one = await this.runner.run(u.job, u.prefetched);
    } catch (err) {
      if (err instanceof Killed || this.killed) return;
      // Log the kind only: jobs name people. The message comes back after a pause.
      console.error(`[checkins] job failed: ${(err as Error)?.name ?? 'Error'}`);
      one = { ack: false, retryInMs: 5000 };
    }
    if (this.killed) return;
    const h = u.held;
    if (!one.ack) h.outcome = { ack: false, retryInMs: Math.min(h.outcome.ack ? Infinity : h.outcome.retryInMs, one.retryInMs) };
    if (--h.left === 0) this.acknowledge(h);
  }

  /** The records already say what happened, so the acknowledgement need not hold up the next job: if it is lost, the job comes back and finds nothing to do. */
  private acknowledge(h: Held): void {
    this.held.delete(h);
    const ack = h.outcome.ack ? this.queue.delete(h.m) : this.queue.release(h.m, Math.ceil(h.outcome.retryInMs / 1000));
    const pending = ack.catch(() => false).then(() => void this.acks.delete(pending));
    this.acks.add(pending);
  }

  private extend(): void {
    if (this.killed) return;
    for (const h of this.held) this.queue.release(h.m, this.leaseSeconds).catch(() => false);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe();
    this.wake?.();
    const grace = new Promise<void>((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref());
    await Promise.race([Promise.all(this.loops), grace]);
    clearInterval(this.extender);
    await Promise.all([...this.acks]);
    // What was taken but not started goes back at once (its done people are skipped next time).
    this.units.length = 0;
    const left = [...this.held];
    this.held.clear();
    if (!this.killed) await Promise.all(left.map((h) => this.queue.release(h.m, 0).catch(() => false)));
    this.killed = true;
  }

  kill(): void {
    this.killed = true;
    this.running = false;
    clearInterval(this.extender);
    this.unsubscribe();
    this.wake?.();
    this.units.length = 0;
    this.held.clear();
  }
}
