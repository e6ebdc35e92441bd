// Paces proactive sends below Teams' limits, so 429s stay the exception rather than the brake
// (each one stops the tenant's sends for its Retry-After, a second's worth of cards).
// Per app and tenant: the send schedule shared by every instance (sharedSlots.ts, in the server),
// or in-process a virtual-schedule token bucket (GCRA) at `ratePerSecond`, burst 1, so any
// one-second window holds at most rate + 1 booked slots; and a sliding window over the moments
// this process lets sends go: timers that fire late (an event loop busy with storage, a garbage
// collection) would otherwise release a second's overdue slots at once. Per conversation: Teams'
// sliding windows (7 per second, 8 per 2 s, 60 per 30 s). A 429 pauses the whole tenant for its
// Retry-After, since Teams does not say which limit was hit.
import type { SharedSlots } from './sharedSlots';

export type Window = [max: number, windowMs: number];

export const CONVERSATION_LIMITS: Window[] = [[7, 1000], [8, 2000], [60, 30000]];

interface TenantState {
  /** Theoretical arrival time of the next send (GCRA). */
  tat: number;
  pausedUntil: number;
  /** When the last sends were let go (at most `perSecond` of them, oldest first). */
  released: number[];
}

export class Pacer {
  private readonly tenants = new Map<string, TenantState>();
  private readonly conversations = new Map<string, number[]>();
  private reservations = 0;
  private readonly intervalMs: number;
  private readonly perSecond: number;
  private readonly longestWindow: number;

  constructor(
    ratePerSecond: number,
    private readonly conversationLimits: Window[] = CONVERSATION_LIMITS,
    private readonly clock: () => number = Date.now,
    /** The tenant's schedule shared with the other instances; without it, this process's own. */
    private readonly shared?: SharedSlots,
  ) {
    this.intervalMs = 1000 / Math.max(0.001, ratePerSecond);
    this.perSecond = Math.max(1, Math.floor(ratePerSecond));
    this.longestWindow = Math.max(0, ...conversationLimits.map(([, w]) => w));
  }

  /**
   * Books the next send slot for this tenant and conversation and returns how long to wait
   * for it (ms). Booking at once keeps workers fair: each gets the next free slot in order.
   */
  reserve(tenantId: string, conversationKey: string, slot?: number): number {
    const now = this.clock();
    const t = this.tenant(tenantId, now);
    const stamps = this.conversations.get(conversationKey) ?? [];
    let at = Math.max(now, slot ?? t.tat, t.pausedUntil);
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
    if (slot === undefined) t.tat = at + this.intervalMs;
    stamps.push(at);
    if (stamps.length > 64) stamps.splice(0, stamps.length - 64);
    this.conversations.set(conversationKey, stamps);
    if (++this.reservations % 1000 === 0) this.sweep(now);
    return at - now;
  }

  /**
   * Waits for a send slot, then until the last second's releases leave room; a 429 pause that
   * began meanwhile voids the slot and books a new one.
   */
  async acquire(tenantId: string, conversationKey: string): Promise<void> {
    for (;;) {
      const slot = this.shared ? await this.shared.next(tenantId) : undefined;
      const wait = this.reserve(tenantId, conversationKey, slot);
      const at = this.clock() + Math.max(0, wait);
      if (wait > 0) await sleep(wait);
      // A timer that fired late would send into other instances' slots: take a new one.
      if (slot !== undefined && this.shared!.isLate(at)) continue;
      const t = this.tenant(tenantId, this.clock());
      for (let room = this.roomIn(t); room > 0 && t.pausedUntil <= this.clock(); room = this.roomIn(t)) await sleep(room);
      if (t.pausedUntil > this.clock()) continue;
      t.released.push(this.clock());
      if (t.released.length > this.perSecond) t.released.shift();
      return;
    }
  }

  /** How long until one more send fits in the sliding second (0: now). */
  private roomIn(t: TenantState): number {
    if (t.released.length < this.perSecond) return 0;
    return Math.max(0, t.released[t.released.length - this.perSecond] + 1000 - this.clock());
  }

  private tenant(tenantId: string, now: number): TenantState {
    let t = this.tenants.get(tenantId);
    if (!t) this.tenants.set(tenantId, (t = { tat: now, pausedUntil: 0, released: [] }));
    return t;
  }

  /** Teams said 429: nobody of this tenant sends until `ms` from now. */
  pause(tenantId: string, ms: number): void {
    const now = this.clock();
    const t = this.tenant(tenantId, now);
    t.pausedUntil = Math.max(t.pausedUntil, now + ms);
    // Slots booked before the pause are void: restart the schedule after it.
    t.tat = Math.max(t.tat, t.pausedUntil);
    this.shared?.pause(tenantId, t.pausedUntil);
  }

  private sweep(now: number): void {
    for (const [k, stamps] of this.conversations) {
      if (!stamps.length || stamps[stamps.length - 1] < now - this.longestWindow) this.conversations.delete(k);
    }
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
