// The per-app-and-tenant send budget (Teams allows about 50 proactive messages a second), shared by
// every server instance through one Table row per tenant: a virtual schedule of send slots spaced
// 1000 / rate ms apart. An instance claims the next few slots with one ETag write; whatever number
// of instances claim, the slots never overlap, so together they stay under the rate and, with
// their demand, use all of it. A 429 moves the schedule past its Retry-After for everyone. The
// same row plans when queued jobs become visible (services/checkins.ts), at the same rate.
import type { SendSchedule } from '../domain/types';
import { AlreadyExistsError, ConcurrencyError, key, Versioned } from '../storage/repository';
import type { Store } from '../storage/store';

const ROW = 'schedule';
const MAX_LEAD_MS = 250;

export class SendBudget {
  /** The row as last written or read here, so a claim usually needs no read first. */
  private readonly known = new Map<string, Versioned<SendSchedule>>();

  constructor(
    private readonly svc: { store: Store },
    readonly intervalMs: number,
    /** Slots start at least this far ahead, so a claim's own round trip does not make them late. */
    private readonly leadMs = 25,
    private readonly clock: () => number = Date.now,
  ) {}

  /** How long a claim takes here (smoothed): slots start at least twice that far ahead. */
  private roundTripMs = 0;

  /** Claims `count` consecutive slots for the tenant; returns their start times (epoch ms). */
  async claim(tenantId: string, count: number): Promise<number[]> {
    const began = this.clock();
    const slots = await this.claimSlots(tenantId, count);
    this.roundTripMs = 0.8 * this.roundTripMs + 0.2 * (this.clock() - began);
    return slots;
  }

  private async claimSlots(tenantId: string, count: number): Promise<number[]> {
    const repo = this.svc.store.sendSchedule;
    // Slots that start before the claim is back would be late on arrival (and dropped).
    const lead = Math.min(MAX_LEAD_MS, Math.max(this.leadMs, 2 * this.roundTripMs));
    // Our own last write, if no other instance wrote since: then one round trip, else a read first.
    let cur = this.known.get(tenantId) ?? (await repo.get(key(tenantId), ROW));
    for (let attempt = 0; attempt < 20; attempt++) {
      const start = Math.max(cur?.value.next ?? 0, cur?.value.pausedUntil ?? 0, this.clock() + lead);
      const value: SendSchedule = { ...cur?.value, tenantId, next: start + count * this.intervalMs, pausedUntil: cur?.value.pausedUntil ?? 0 };
      try {
        const etag = cur ? await repo.replace(value, cur.etag) : await repo.create(value);
        this.known.set(tenantId, { value, etag });
        return Array.from({ length: count }, (_, i) => start + i * this.intervalMs);
      } catch (err) {
        if (!(err instanceof ConcurrencyError) && !(err instanceof AlreadyExistsError)) throw err;
        this.known.delete(tenantId);
        cur = await repo.get(key(tenantId), ROW);
      }
    }
    throw new ConcurrencyError('send schedule');
  }

  /**
   * Waits for the tenant's next free slot: the bot's own notices (introductions, nominations, notes
   * to partners and admins) take their place in the same schedule as the check-ins.
   */
  async wait(tenantId: string): Promise<void> {
    const [slot] = await this.claim(tenantId, 1);
    const ms = slot - this.clock();
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Teams said 429: every instance's next slots start after `untilMs` (epoch ms). */
  async pause(tenantId: string, untilMs: number): Promise<void> {
    this.known.delete(tenantId);
    await this.svc.store.sendSchedule.mutate(key(tenantId), ROW, (cur) =>
      (cur?.pausedUntil ?? 0) >= untilMs ? undefined : { ...cur, tenantId, next: Math.max(cur?.next ?? 0, untilMs), pausedUntil: untilMs },
    );
  }

  /**
   * Plans `cards` sends after those already queued for the tenant (by any instance) and returns
   * when they start (epoch ms), each `intervalMs` after the one before.
   */
  async plan(tenantId: string, cards: number): Promise<number> {
    let start = 0;
    this.known.delete(tenantId);
    await this.svc.store.sendSchedule.mutate(key(tenantId), ROW, (cur) => {
      start = Math.max(cur?.plannedUntil ?? 0, this.clock());
      return { tenantId, next: 0, pausedUntil: 0, ...cur, plannedUntil: start + cards * this.intervalMs };
    }, { attempts: 20 });
    return start;
  }
}
