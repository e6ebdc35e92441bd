// A stand-in for the Teams Bot Connector: a real HTTP server speaking the Bot Connector REST
// API (create conversation, send, reply, update, get member) that records every activity and
// enforces Teams' published rate limits, answering 429 with Retry-After past them.
// Faults can be injected: 5xx bursts, 403 for blocked users, slow answers.
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface RecordedActivity {
  kind: 'send' | 'reply' | 'update';
  conversationId: string;
  activityId: string;
  /** The 1:1 user of the conversation, when the conversation was created here or registered. */
  userId?: string;
  activity: Record<string, any>;
  at: number;
}

export interface Limits {
  /** Per conversation, as Teams publishes for bots: [max messages, window ms]. */
  perConversation: Array<[number, number]>;
  /** Per app per tenant. */
  perApp: Array<[number, number]>;
}

export const TEAMS_LIMITS: Limits = {
  perConversation: [[7, 1000], [8, 2000], [60, 30000], [1800, 3600000]],
  perApp: [[50, 1000]],
};

export interface Member {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName?: string;
}

export class ConnectorStandIn {
  readonly activities: RecordedActivity[] = [];
  readonly counters = { requests: 0, throttled: 0, faults: 0, created: 0, dropped: 0 };
  limits: Limits = TEAMS_LIMITS;
  delayMs = 0;
  /** Called for every send to a conversation, accepted or throttled (a benchmark counts them per second). */
  onAttempt?: (at: number) => void;
  private server?: http.Server;
  private seq = 0;
  private readonly members = new Map<string, Member>();
  private readonly conversationUser = new Map<string, string>();
  private readonly blocked = new Set<string>();
  private faults: number[] = [];
  private readonly convWindows = new Map<string, number[]>();
  private appWindow: number[] = [];
  private waiters: Array<() => void> = [];
  private holding?: (userId: string | undefined) => boolean;
  private held: Array<{ go: () => void; gone: () => boolean }> = [];
  url = '';

  async start(port = 0): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30000;
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections?.();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  addMember(m: Member): void {
    this.members.set(m.id, m);
    this.members.set(m.aadObjectId, m);
  }
  /** The user blocked the bot: every send to their conversation answers 403. */
  block(userId: string): void {
    this.blocked.add(userId);
  }
  /** The next `n` requests fail with `status` (e.g. 500, 503). */
  failNext(n: number, status = 503): void {
    for (let i = 0; i < n; i++) this.faults.push(status);
  }
  /**
   * From now on requests wait, unprocessed, until releaseHeld(): a network stall. A request whose
   * client went away meanwhile (a crashed bot) is dropped without being processed.
   */
  hold(which: (userId: string | undefined) => boolean = () => true): void {
    this.holding = which;
  }
  get heldCount(): number {
    return this.held.length;
  }
  /** Held requests whose client has gone (closed the connection). */
  get heldAbandoned(): number {
    return this.held.filter((h) => h.gone()).length;
  }
  releaseHeld(): void {
    this.holding = undefined;
    const held = this.held;
    this.held = [];
    held.forEach((h) => h.go());
  }
  reset(): void {
    this.activities.length = 0;
    this.counters.requests = this.counters.throttled = this.counters.faults = this.counters.created = this.counters.dropped = 0;
    this.convWindows.clear();
    this.appWindow = [];
    this.faults = [];
  }

  sentTo(userId: string): RecordedActivity[] {
    return this.activities.filter((a) => a.userId === userId);
  }
  inConversation(conversationId: string): RecordedActivity[] {
    return this.activities.filter((a) => a.conversationId === conversationId);
  }
  /** Resolves once `count` activities matching `pred` are recorded. */
  async waitFor(pred: (a: RecordedActivity) => boolean, count = 1, timeoutMs = 15000): Promise<RecordedActivity[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.activities.filter(pred);
      if (found.length >= count) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} activities, saw ${found.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Sliding-window check; returns seconds to wait if over a limit. */
  private overLimit(conversationId: string, now: number): number | undefined {
    const check = (stamps: number[], limits: Array<[number, number]>) => {
      let wait = 0;
      for (const [max, windowMs] of limits) {
        const inWindow = stamps.filter((s) => s > now - windowMs);
        if (inWindow.length >= max) wait = Math.max(wait, inWindow[inWindow.length - max] + windowMs - now);
      }
      return wait;
    };
    const conv = this.convWindows.get(conversationId) ?? [];
    const wait = Math.max(check(conv, this.limits.perConversation), check(this.appWindow, this.limits.perApp));
    if (wait > 0) return Math.max(1, Math.ceil(wait / 1000));
    conv.push(now);
    if (conv.length > 2000) conv.splice(0, conv.length - 2000);
    this.convWindows.set(conversationId, conv);
    this.appWindow.push(now);
    if (this.appWindow.length > 5000) this.appWindow.splice(0, this.appWindow.length - 5000);
    return undefined;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.counters.requests++;
    const body = await new Promise<string>((resolve) => {
      let b = '';
      req.on('data', (c) => (b += c));
      req.on('end', () => resolve(b));
    });
    const json = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(payload));
    };
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.holding) {
      // Whom the request is for: the conversation's user, or the member of a new 1:1 chat.
      const parts0 = new URL(req.url ?? '/', 'http://x').pathname.split('/').filter(Boolean).map(decodeURIComponent);
      const target = parts0.length === 2 ? (body ? JSON.parse(body).members?.[0]?.id : undefined) : this.conversationUser.get(parts0[2] ?? '');
      const targetUser = this.members.get(target ?? '')?.aadObjectId ?? target;
      if (this.holding(targetUser)) {
        let gone = false;
        res.on('close', () => (gone = !res.writableEnded));
        await new Promise<void>((resolve) => this.held.push({ go: resolve, gone: () => gone || req.socket.destroyed }));
        if (gone || req.socket.destroyed) {
          this.counters.dropped++;
          return;
        }
      }
    }
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'v3' || parts[1] !== 'conversations') return json(404, { error: { code: 'NotFound' } });
    const fault = this.faults.shift();
    if (fault) {
      this.counters.faults++;
      return json(fault, { error: { code: 'ServiceError', message: 'injected fault' } });
    }
    const activity = body ? JSON.parse(body) : {};

    // POST /v3/conversations: open (or find) the 1:1 chat with a user.
    if (req.method === 'POST' && parts.length === 2) {
      const member = activity.members?.[0]?.id as string | undefined;
      if (!member) return json(400, { error: { code: 'BadArgument', message: 'members required' } });
      if (this.blocked.has(member) || this.blocked.has(this.members.get(member)?.aadObjectId ?? '')) return json(403, { error: { code: 'Forbidden', message: 'user blocked the bot' } });
      const id = `a:1to1-${member}`;
      this.conversationUser.set(id, this.members.get(member)?.aadObjectId ?? member);
      this.counters.created++;
      let activityId: string | undefined;
      if (activity.activity) {
        activityId = `act-${++this.seq}`;
        this.record('send', id, activityId, activity.activity);
      }
      return json(201, { id, activityId });
    }
    if (parts[3] === 'members' && req.method === 'GET') {
      const m = this.members.get(parts[4]);
      return m ? json(200, { id: m.id, name: m.name, aadObjectId: m.aadObjectId, userPrincipalName: m.userPrincipalName }) : json(404, { error: { code: 'MemberNotFound' } });
    }
    const conversationId = parts[2];
    if (parts[3] !== 'activities') return json(404, { error: { code: 'NotFound' } });
    const user = this.conversationUser.get(conversationId);
    if (user && this.blocked.has(user)) return json(403, { error: { code: 'Forbidden', message: 'user blocked the bot' } });
    this.onAttempt?.(Date.now());
    const retryAfter = this.overLimit(conversationId, Date.now());
    if (retryAfter !== undefined) {
      this.counters.throttled++;
      return json(429, { error: { code: 'Throttled', message: 'rate limit' } }, { 'retry-after': String(retryAfter) });
    }
    if (req.method === 'PUT' && parts[4]) {
      this.record('update', conversationId, parts[4], activity);
      return json(200, { id: parts[4] });
    }
    if (req.method === 'POST') {
      const id = `act-${++this.seq}`;
      this.record(parts[4] ? 'reply' : 'send', conversationId, id, activity);
      return json(201, { id });
    }
    return json(405, { error: { code: 'MethodNotAllowed' } });
  }

  /** Registers which user a conversation belongs to (for conversations the tests start). */
  bindConversation(conversationId: string, userId: string): void {
    this.conversationUser.set(conversationId, userId);
  }

  private record(kind: RecordedActivity['kind'], conversationId: string, activityId: string, activity: Record<string, any>): void {
    this.activities.push({ kind, conversationId, activityId, userId: this.conversationUser.get(conversationId), activity, at: Date.now() });
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }
}

/** The Adaptive Card content of a recorded activity, if it carries one. */
export function cardOf(a: RecordedActivity): Record<string, any> | undefined {
  return a.activity.attachments?.find((x: any) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All visible text of a card or message, flattened (for assertions a reader would make). */
export function textOf(a: RecordedActivity): string {
  const out: string[] = [];
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    for (const k of ['text', 'title', 'value', 'label', 'placeholder']) if (typeof n[k] === 'string') out.push(n[k]);
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v);
  };
  if (a.activity.text) out.push(a.activity.text);
  walk(cardOf(a));
  return out.join('\n');
}
