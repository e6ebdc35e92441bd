// This instance's share of the tenant's send schedule (services/sendBudget.ts): slots are claimed
// a few at a time, as many as workers are waiting (so none are claimed that nobody uses), and
// handed out in order. A slot whose time has passed by more than half an interval (this process was
// stalled) is dropped rather than sent late, which would bunch sends past Teams' limit.
import type { SendBudget } from '../services/sendBudget';

const MAX_BLOCK = 8;
/**
 * How late (a share of the interval) a slot may still be used. Teams counts arrivals, which its
 * own network and servers delay unevenly too: half an interval of ours leaves them the rest.
 */
const LATE_SHARE = 0.5;

export class SharedSlots {
  private readonly granted = new Map<string, number[]>();
  private readonly claiming = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, number>();
  /** Slots claimed and dropped unused (late), for the benchmark. */
  dropped = 0;

  constructor(
    private readonly budget: SendBudget,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The next slot of the tenant's schedule for this instance (epoch ms). */
  async next(tenantId: string): Promise<number> {
    for (;;) {
      const queue = this.granted.get(tenantId) ?? [];
      const stale = this.clock() - this.budget.intervalMs;
      while (queue.length && queue[0] < stale) {
        queue.shift();
        this.dropped++;
      }
      if (queue.length) return queue.shift()!;
      this.waiting.set(tenantId, (this.waiting.get(tenantId) ?? 0) + 1);
      try {
        let claim = this.claiming.get(tenantId);
        if (!claim) {
          const count = Math.max(1, Math.min(MAX_BLOCK, this.waiting.get(tenantId) ?? 1));
          claim = this.budget.claim(tenantId, count).then(
            (slots) => void this.granted.set(tenantId, [...(this.granted.get(tenantId) ?? []), ...slots]),
          ).finally(() => this.claiming.delete(tenantId));
          this.claiming.set(tenantId, claim);
        }
        await claim;
      } finally {
        this.waiting.set(tenantId, (this.waiting.get(tenantId) ?? 1) - 1);
      }
    }
  }

  /** True (and counted as dropped) when the slot's moment passed more than half an interval ago. */
  isLate(slot: number): boolean {
    const late = this.clock() - slot > LATE_SHARE * this.budget.intervalMs;
    if (late) this.dropped++;
    return late;
  }

  /** A 429: slots before `untilMs` are void here, and every instance's schedule moves past it. */
  pause(tenantId: string, untilMs: number): void {
    this.granted.set(tenantId, (this.granted.get(tenantId) ?? []).filter((s) => s >= untilMs));
    this.budget.pause(tenantId, untilMs).catch(() => undefined);
  }
}
