// Paces proactive sends below Teams' limits, so 429s stay the exception rather than the brake.
// Per app and tenant: a virtual-schedule token bucket (GCRA) at `ratePerSecond`, burst 1, so
// any one-second window holds at most rate + 1 sends. Per conversation: Teams' sliding windows
// (7 per second, 8 per 2 s, 60 per 30 s). A 429 pauses the whole tenant for its Retry-After,
// since Teams does not say which limit was hit. In-process only: several server instances
// each take the full rate, so set SEND_RATE_PER_SECOND to the budget divided by instances;
// the 429 handling covers the overlap.

export type Window = [max: number, windowMs: number];

export const CONVERSATION_LIMITS: Window[] = [[7, 1000], [8, 2000], [60, 30000]];

interface TenantState {
  /** Theoretical arrival time of the next send (GCRA). */
  tat: number;
  pausedUntil: number;
}

export class Pacer {
  private readonly tenants = new Map<string, TenantState>();
  private readonly conversations = new Map<string, number[]>();
  private reservations = 0;
  private readonly intervalMs: number;
  private readonly longestWindow: number;

  constructor(
    ratePerSecond: number,
    private readonly conversationLimits: Window[] = CONVERSATION_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {
    this.intervalMs = 1000 / Math.max(0.001, ratePerSecond);
    this.longestWindow = Math.max(0, ...conversationLimits.map(([, w]) => w));
  }

  /**
   * Books the next send slot for this tenant and conversation and returns how long to wait
   * for it (ms). Booking at once keeps workers fair: each gets the next free slot in order.
   */
  reserve(tenantId: string, conversationKey: string): number {
    const now = this.clock();
    const t = this.tenants.get(tenantId) ?? { tat: now, pausedUntil: 0 };
    this.tenants.set(tenantId, t);
    const stamps = this.conversations.get(conversationKey) ?? [];
    let at = Math.max(now, t.tat, t.pausedUntil);
    // The earliest time every conversation window has room.
    for (let moved = true; moved; ) {
      moved = false;
      for (const [max, windowMs] of this.conversationLimits) {
        const inWindow = stamps.filter((s) => s > at - windowMs);
        if (inWindow.length >= max) {
          at = inWindow[inWindow.length - max] + windowMs;
          moved = true;
        }
      }
    }
    t.tat = at + this.intervalMs;
    stamps.push(at);
    if (stamps.length > 64) stamps.splice(0, stamps.length - 64);
    this.conversations.set(conversationKey, stamps);
    if (++this.reservations % 1000 === 0) this.sweep(now);
    return at - now;
  }

  /** Waits for a send slot; a 429 pause that began meanwhile voids the slot and books a new one. */
  async acquire(tenantId: string, conversationKey: string): Promise<void> {
    for (;;) {
      const wait = this.reserve(tenantId, conversationKey);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if ((this.tenants.get(tenantId)?.pausedUntil ?? 0) <= this.clock()) return;
    }
  }

  /** Teams said 429: nobody of this tenant sends until `ms` from now. */
  pause(tenantId: string, ms: number): void {
    const now = this.clock();
    const t = this.tenants.get(tenantId) ?? { tat: now, pausedUntil: 0 };
    t.pausedUntil = Math.max(t.pausedUntil, now + ms);
    // Slots booked before the pause are void: restart the schedule after it.
    t.tat = Math.max(t.tat, t.pausedUntil);
    this.tenants.set(tenantId, t);
  }

  private sweep(now: number): void {
    for (const [k, stamps] of this.conversations) {
      if (!stamps.length || stamps[stamps.length - 1] < now - this.longestWindow) this.conversations.delete(k);
    }
  }
}
