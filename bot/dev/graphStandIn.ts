// A stand-in for Microsoft Graph v1.0, for the endpoints Reverse Mentor uses: a real HTTP server
// with Graph's response shapes (`value` + `@odata.nextLink` paging, `$batch` with at most 20
// requests and sub-request URLs relative to the version, `{ error: { code, message } }` bodies,
// 404 for a user without a manager or a mailbox, 429 with Retry-After). Graph cannot run here,
// so `npm start` (seeded with the Agents Playground's people, bot/dev/start.ts) and the tests
// (with injected faults: 429, 503, down, slow) use this, like the Bot Connector stand-in.
// Local mode only: the server never starts it when a bot app is configured.
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { BusyBlock, StandInCalendars } from './graphCalendarStandIn';
import { PLAYGROUND_CONFIG } from './playground';

export interface StandInUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  department?: string;
  jobTitle?: string;
  officeLocation?: string;
  preferredLanguage?: string;
  managerId?: string;
  /** The mailbox's Windows time zone name; undefined: no mailbox (mailboxSettings answer 404). */
  mailboxTimeZone?: string;
}

export interface StandInGroup {
  id: string;
  displayName: string;
  /** Ids of member users and member groups (nested). */
  members: string[];
}

export interface DirectorySeed {
  users: StandInUser[];
  groups: StandInGroup[];
}

export interface Fault {
  status: number;
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Only requests whose path (without the version) matches. */
  match?: RegExp;
  /** 'request': whole HTTP requests only; 'sub': $batch sub-requests only; default both. */
  scope?: 'request' | 'sub';
  /** The request is carried out, then its answer is lost (the fault comes back instead). */
  after?: boolean;
}

export interface LoggedRequest {
  method: string;
  /** Path and query after /v1.0 (for a sub-request: its URL). */
  url: string;
  at: number;
  inBatch: boolean;
  status: number;
  authorization?: string;
}

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

const DEFAULT_USER_PROPERTIES = ['businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation', 'preferredLanguage', 'surname', 'userPrincipalName', 'id'];
const MAX_BATCH = 20;

const error = (status: number, code: string, message: string, headers?: Record<string, string>): Answer => ({ status, headers, body: { error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': Math.random().toString(16).slice(2) } } } });
const notFound = (what: string): Answer => error(404, 'Request_ResourceNotFound', `Resource '${what}' does not exist or one of its queried reference-property objects are not present.`);

/** Splits "a,b(x;y),c" at top-level commas. */
function splitTop(s: string, sep = ','): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === sep && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur) out.push(cur);
  return out.map((x) => x.trim()).filter(Boolean);
}

export class GraphStandIn {
  readonly users = new Map<string, StandInUser>();
  readonly groups = new Map<string, StandInGroup>();
  readonly log: LoggedRequest[] = [];
  /** HTTP requests received (a $batch counts once). */
  requests = 0;
  /** The largest page of a collection, whatever $top asks (Graph's: 999; tests set less to make paging happen). */
  pageSize = 999;
  /** Every request answers 503 (Graph down). */
  down = false;
  /** Milliseconds before each HTTP request is answered (a slow Graph). */
  delayMs = 0;
  /** Set to check Authorization headers (deployed mode); unset: local mode, no token expected. */
  acceptToken?: (authorization: string | undefined) => boolean;
  /**
   * Deployed mode like Graph: every request needs a bearer token that `verify` accepts (signed by
   * the issuer, not expired), for Graph (aud) in `tenantId`, with the permission the endpoint needs
   * (app roles for the directory, delegated scopes for calendars, a user's own calendar only).
   * Wrong ones get Graph's 401 InvalidAuthenticationToken or 403 answers. Unset: local mode.
   */
  tokens?: { verify(jwt: string): Promise<Record<string, unknown> | undefined>; tenantId: string };
  /** Outlook calendars of the directory's users (getSchedule, events, calendarView). */
  readonly calendars = new StandInCalendars(() => this.users.values());
  url = '';
  private faults: Array<Fault & { left: number }> = [];
  private server?: http.Server;

  constructor(seed?: DirectorySeed) {
    if (seed) this.seed(seed);
  }

  seed(seed: DirectorySeed): void {
    for (const u of seed.users) this.users.set(u.id.toLowerCase(), u);
    for (const g of seed.groups) this.groups.set(g.id.toLowerCase(), g);
  }

  /** The next `times` matching requests (or sub-requests) fail with `status`. */
  fail(times: number, fault: Fault): void {
    this.faults.push({ ...fault, left: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections?.();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private takeFault(path: string, inBatch: boolean): Fault | undefined {
    const k = this.faults.findIndex((f) => f.left > 0 && (!f.match || f.match.test(path)) && (!f.scope || f.scope === (inBatch ? 'sub' : 'request')));
    if (k < 0) return undefined;
    const f = this.faults[k];
    if (--f.left <= 0) this.faults.splice(k, 1);
    return f;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const raw = req.url ?? '/';
    let answer: Answer;
    const claims = this.tokens ? await this.claimsOf(req.headers.authorization) : undefined;
    if (this.down) answer = error(503, 'ServiceUnavailable', 'The service is currently unavailable.', { 'Retry-After': '2' });
    else if (this.acceptToken && !this.acceptToken(req.headers.authorization)) answer = error(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    else if (claims && 'refused' in claims) answer = claims.refused;
    else if (!raw.startsWith('/v1.0/')) answer = error(400, 'BadRequest', 'Invalid version.');
    else {
      let path = raw.slice('/v1.0'.length);
      const token = claims && 'claims' in claims ? claims.claims : undefined;
      let noUser: Answer | undefined;
      if (/^\/me(\/|\?|$)/.test(path)) {
        // /me is the token's user; with no token (local mode) there is nobody to be.
        if (!token || token.idtyp === 'app') noUser = error(400, 'BadRequest', '/me request is only valid with delegated authentication flow.');
        path = `/users/${encodeURIComponent(String(token?.oid ?? ''))}${path.slice(3)}`;
      }
      const fault = this.takeFault(path, false);
      const denied = token ? this.denied(token, req.method ?? 'GET', path) : undefined;
      if (noUser) answer = noUser;
      else if (fault && !fault.after) answer = this.faultAnswer(fault);
      else if (denied) answer = denied;
      else if (req.method === 'POST' && path === '/$batch') answer = this.batch(chunks, token);
      else if (GraphStandIn.calendarPath(path)) answer = this.calendar(req, path, chunks);
      else if (req.method === 'GET') answer = this.route(path, lowerHeaders(req.headers));
      else answer = error(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      if (fault?.after && !noUser && !denied) answer = this.faultAnswer(fault);
    }
    this.log.push({ method: req.method ?? '', url: raw.replace(/^\/v1\.0/, ''), at: Date.now(), inBatch: false, status: answer.status, authorization: req.headers.authorization });
    const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...(body ? { 'content-type': 'application/json' } : {}), ...(answer.headers ?? {}) });
    res.end(body);
  }

  /** /users/{id}/calendar/..., /users/{id}/events..., /users/{id}/calendarView. */
  private static calendarPath(path: string): boolean {
    return /^\/users\/[^/?]+\/(calendar|events|calendarView)(\/|\?|$)/.test(path);
  }

  private calendar(req: http.IncomingMessage, path: string, chunks: Buffer[]): Answer {
    const u = new URL(path, 'http://graph.invalid');
    const segs = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let body: unknown;
    if (req.method === 'POST' || req.method === 'PATCH') {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        return error(400, 'BadRequest', 'Unable to read JSON request payload.');
      }
    }
    return this.calendars.handle(req.method ?? 'GET', segs[1], segs.slice(2), u.searchParams, body, req.headers.prefer as string | undefined, this.pageSize, this.url);
  }

  /** Busy times in a person's calendar (their own appointments). */
  busy(userId: string, blocks: BusyBlock[]): void {
    this.calendars.busy(userId, blocks);
  }

  /** The token's claims, or Graph's 401 for a missing, malformed, forged, expired, foreign or other-tenant token. */
  private async claimsOf(authorization: string | undefined): Promise<{ claims: Record<string, unknown> } | { refused: Answer }> {
    const challenge = { 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' };
    const refuse = (message: string) => ({ refused: error(401, 'InvalidAuthenticationToken', message, challenge) });
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return refuse(authorization ? 'IDX14100: JWT is not well formed, there are no dots (.).' : 'Access token is empty.');
    const claims = await this.tokens!.verify(m[1]);
    if (!claims) return refuse('Access token validation failure. Invalid signature or the token has expired.');
    const aud = claims.aud;
    if (aud !== 'https://graph.microsoft.com' && aud !== '00000003-0000-0000-c000-000000000000') return refuse('Access token validation failure. Invalid audience.');
    if (String(claims.tid ?? '').toLowerCase() !== this.tokens!.tenantId.toLowerCase()) return refuse('Access token validation failure. Invalid issuer or tenant.');
    return { claims };
  }

  /** Graph's 403 when the token lacks the permission the endpoint needs (least privileged ones listed). */
  private denied(token: Record<string, unknown>, method: string, path: string): Answer | undefined {
    const roles = Array.isArray(token.roles) ? (token.roles as string[]) : [];
    const scopes = String(token.scp ?? '').split(' ').filter(Boolean);
    const app = token.idtyp === 'app' || !token.scp;
    const has = (...any: string[]) => any.some((p) => (app ? roles : scopes).includes(p));
    const directory = () => error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
    const mailbox = () => error(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    if (path === '/$batch') return undefined; // each sub-request is checked
    if (GraphStandIn.calendarPath(path)) {
      const user = decodeURIComponent(path.split('/')[2]);
      const write = method !== 'GET' && !/\/calendar\/getSchedule/.test(path);
      const ok = write ? has('Calendars.ReadWrite') : has('Calendars.ReadBasic', 'Calendars.Read', 'Calendars.ReadWrite');
      // Delegated: the signed-in person's own calendar only (Calendars.*.Shared is not asked for).
      if (!ok || (!app && user.toLowerCase() !== String(token.oid).toLowerCase())) return mailbox();
      return undefined;
    }
    if (path.startsWith('/users')) {
      if (!has('User.Read.All', 'User.ReadBasic.All', 'Directory.Read.All')) return directory();
      if (/[?&]\$select=[^&]*mailboxSettings/.test(path) && !has('MailboxSettings.Read')) return mailbox();
      return undefined;
    }
    if (path.startsWith('/groups')) return has('GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All') ? undefined : directory();
    return undefined;
  }

  private faultAnswer(f: Fault): Answer {
    const headers = f.retryAfter !== undefined ? { 'Retry-After': String(f.retryAfter) } : undefined;
    if (f.status === 429) return error(429, 'TooManyRequests', 'Too many requests.', headers);
    return error(f.status, f.status >= 500 ? 'ServiceUnavailable' : 'BadRequest', 'Injected fault.', headers);
  }

  private batch(chunks: Buffer[], token?: Record<string, unknown>): Answer {
    let body: { requests?: Array<{ id?: string; method?: string; url?: string; headers?: Record<string, string> }> };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return error(400, 'BadRequest', 'Invalid batch payload format.');
    }
    const requests = body.requests;
    if (!Array.isArray(requests) || !requests.length) return error(400, 'BadRequest', 'Invalid batch payload format.');
    if (requests.length > MAX_BATCH) return error(400, 'BadRequest', `Batch request exceeds the maximum of ${MAX_BATCH} requests.`);
    const responses = requests.map((r) => {
      const url = r.url ?? '';
      let answer: Answer;
      if (/^\/?v1\.0\//i.test(url) || /^https?:/i.test(url)) answer = error(400, 'BadRequest', "Resource not found for the segment 'v1.0'.");
      else {
        const path = url.startsWith('/') ? url : `/${url}`;
        const fault = this.takeFault(path, true);
        const denied = token ? this.denied(token, (r.method ?? 'GET').toUpperCase(), path) : undefined;
        if (fault) answer = this.faultAnswer(fault);
        else if (denied) answer = denied;
        else if ((r.method ?? 'GET').toUpperCase() !== 'GET') answer = error(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
        else answer = this.route(path, Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])));
      }
      this.log.push({ method: r.method ?? 'GET', url, at: Date.now(), inBatch: true, status: answer.status });
      return { id: r.id, status: answer.status, headers: { 'Content-Type': 'application/json', ...(answer.headers ?? {}) }, body: answer.body ?? null };
    });
    return { status: 200, body: { responses } };
  }

  /** One GET, relative to /v1.0. */
  private route(pathAndQuery: string, headers: Record<string, string>): Answer {
    const u = new URL(pathAndQuery, 'http://graph.invalid');
    const q = u.searchParams;
    const segs = u.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (segs[0] === 'users' && segs.length === 2) return this.getUser(segs[1], q, headers);
    if (segs[0] === 'users' && segs.length === 3 && segs[2] === 'manager') {
      const user = this.user(segs[1]);
      if (!user) return notFound(segs[1]);
      const manager = user.managerId ? this.user(user.managerId) : undefined;
      return manager ? { status: 200, body: { '@odata.type': '#microsoft.graph.user', ...this.project(manager, q.get('$select')) } } : notFound('manager');
    }
    if (segs[0] === 'groups' && segs.length === 1) return this.findGroups(q, u.pathname);
    if (segs[0] === 'groups' && segs.length === 2) {
      const g = this.groups.get(segs[1].toLowerCase());
      return g ? { status: 200, body: this.projectGroup(g, q.get('$select')) } : notFound(segs[1]);
    }
    if (segs[0] === 'groups' && segs.length >= 3 && (segs[2] === 'transitiveMembers' || segs[2] === 'members')) {
      const g = this.groups.get(segs[1].toLowerCase());
      if (!g) return notFound(segs[1]);
      if (segs.length === 4 && segs[3] !== 'microsoft.graph.user') return error(400, 'Request_BadRequest', `Invalid cast '${segs[3]}'.`);
      const ids = segs[2] === 'members' ? g.members : this.transitive(g);
      const usersOnly = segs.length === 4;
      const items = ids
        .map((id) => this.users.get(id.toLowerCase()) ?? this.groups.get(id.toLowerCase()))
        .filter((x): x is StandInUser | StandInGroup => !!x && (!usersOnly || 'userPrincipalName' in x))
        .map((x) => ('userPrincipalName' in x ? { '@odata.type': '#microsoft.graph.user', ...this.project(x, q.get('$select')) } : { '@odata.type': '#microsoft.graph.group', ...this.projectGroup(x, q.get('$select')) }));
      return this.page(items, q, u.pathname);
    }
    return error(400, 'BadRequest', `Resource not found for the segment '${segs[segs.length - 1] ?? ''}'.`);
  }

  private user(idOrUpn: string): StandInUser | undefined {
    const k = idOrUpn.toLowerCase();
    return this.users.get(k) ?? [...this.users.values()].find((u) => u.userPrincipalName.toLowerCase() === k);
  }

  private getUser(idOrUpn: string, q: URLSearchParams, headers: Record<string, string>): Answer {
    const user = this.user(idOrUpn);
    if (!user) return notFound(idOrUpn);
    const select = q.get('$select');
    const selected = select ? splitTop(select) : [];
    if (selected.includes('mailboxSettings') && user.mailboxTimeZone === undefined) {
      return error(404, 'MailboxNotEnabledForRESTAPI', 'Mailbox is either inactive, soft-deleted, or is hosted on-premise.');
    }
    const body: Record<string, unknown> = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users/$entity', ...this.project(user, select) };
    const expand = q.get('$expand');
    if (expand) {
      const m = /^manager(?:\((.*)\))?$/.exec(expand.trim());
      if (!m) return error(400, 'Request_BadRequest', `Could not find a property named '${expand}' on type 'microsoft.graph.user'.`);
      const opts = Object.fromEntries(splitTop(m[1] ?? '', ';').map((o) => o.split('=').map((x) => x.trim()) as [string, string]));
      const levels = opts.$levels;
      if (levels && (headers.consistencylevel !== 'eventual' || q.get('$count') !== 'true')) {
        return error(400, 'Request_UnsupportedQuery', "The $levels expand option requires the ConsistencyLevel header set to 'eventual' and $count=true.");
      }
      const depth = levels === 'max' ? Infinity : levels ? Number(levels) : 1;
      let from: Record<string, unknown> = body;
      let cur: StandInUser | undefined = user;
      const seen = new Set<string>([user.id]);
      for (let d = 0; d < depth && cur?.managerId; d++) {
        const next = this.user(cur.managerId);
        if (!next || seen.has(next.id)) break;
        seen.add(next.id);
        const node = { '@odata.type': '#microsoft.graph.user', ...this.project(next, opts.$select ?? 'id,displayName') };
        from.manager = node;
        from = node;
        cur = next;
      }
    }
    return { status: 200, body };
  }

  private project(user: StandInUser, select: string | null): Record<string, unknown> {
    const fields = select ? splitTop(select) : DEFAULT_USER_PROPERTIES;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      if (f === 'mailboxSettings') out.mailboxSettings = { timeZone: user.mailboxTimeZone, language: { locale: user.preferredLanguage ?? 'en-US' } };
      else if (f === 'businessPhones') out.businessPhones = [];
      else if (f === 'givenName' || f === 'surname') out[f] = f === 'givenName' ? user.displayName.split(' ')[0] : user.displayName.split(' ').slice(1).join(' ') || null;
      else if (f === 'mail') out.mail = user.userPrincipalName;
      else if (f === 'mobilePhone') out.mobilePhone = null;
      else out[f] = (user as unknown as Record<string, unknown>)[f] ?? null;
    }
    return out;
  }

  private projectGroup(g: StandInGroup, select: string | null): Record<string, unknown> {
    const fields = select ? splitTop(select) : ['id', 'displayName', 'description', 'mail', 'securityEnabled'];
    const all: Record<string, unknown> = { id: g.id, displayName: g.displayName, description: null, mail: null, securityEnabled: true };
    return Object.fromEntries(fields.map((f) => [f, all[f] ?? null]));
  }

  private findGroups(q: URLSearchParams, path: string): Answer {
    const filter = q.get('$filter');
    let groups = [...this.groups.values()];
    if (filter) {
      const m = /^\s*(displayName|id)\s+eq\s+'((?:[^']|'')*)'\s*$/i.exec(filter);
      if (!m) return error(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified.');
      const value = m[2].replace(/''/g, "'").toLowerCase();
      groups = groups.filter((g) => (m[1].toLowerCase() === 'id' ? g.id : g.displayName).toLowerCase() === value);
    }
    return this.page(groups.map((g) => this.projectGroup(g, q.get('$select'))), q, path);
  }

  /** Every member user or group below `g`, each once, nested groups followed. */
  private transitive(g: StandInGroup): string[] {
    const out: string[] = [];
    const seen = new Set<string>([g.id.toLowerCase()]);
    const walk = (group: StandInGroup) => {
      for (const id of group.members) {
        const k = id.toLowerCase();
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(id);
        const sub = this.groups.get(k);
        if (sub) walk(sub);
      }
    };
    walk(g);
    return out;
  }

  private page(items: unknown[], q: URLSearchParams, path: string): Answer {
    const top = Math.min(this.pageSize, Number(q.get('$top')) || 100); // 100: Graph's page without $top
    const skip = Number(Buffer.from(q.get('$skiptoken') ?? '', 'base64url').toString() || 0);
    const slice = items.slice(skip, skip + top);
    const body: Record<string, unknown> = { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#directoryObjects', value: slice };
    if (skip + top < items.length) {
      // Like Graph: an absolute link with the same query and a $skiptoken ($ not percent-encoded).
      const next = new Map(q);
      next.set('$top', String(top));
      next.set('$skiptoken', Buffer.from(String(skip + top)).toString('base64url'));
      const query = [...next].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&');
      body['@odata.nextLink'] = `${this.url}/v1.0${path}?${query}`;
    }
    return { status: 200, body };
  }
}

function lowerHeaders(h: http.IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : String(v ?? '')]));
}

// ---------------------------------------------------------------------------------------------
// The Playground's people, as the local directory: who they are in .m365agentsplayground.yml,
// their place in a small company here.

const PLAYGROUND_ORG: Record<string, Omit<StandInUser, 'id' | 'displayName' | 'userPrincipalName'>> = {
  'Patti Fernandez': { department: 'Executive Board', jobTitle: 'Managing Director', officeLocation: 'Berlin HQ', preferredLanguage: 'de-DE', mailboxTimeZone: 'W. Europe Standard Time' },
  'Lynne Robbins': { department: 'Sales', jobTitle: 'Head of Sales', officeLocation: 'Amsterdam', preferredLanguage: 'nl-NL', mailboxTimeZone: 'W. Europe Standard Time' },
  'Isaiah Langer': { department: 'Sales', jobTitle: 'Sales Representative', officeLocation: 'London', preferredLanguage: 'en-GB', mailboxTimeZone: 'GMT Standard Time' },
  'Alex Wilber': { department: 'IT', jobTitle: 'IT Administrator', officeLocation: 'Berlin HQ', preferredLanguage: 'en-US', mailboxTimeZone: 'W. Europe Standard Time' },
  'Megan Bowen': { department: 'Marketing', jobTitle: 'Marketing Manager', officeLocation: 'Berlin HQ', preferredLanguage: 'en-US', mailboxTimeZone: 'W. Europe Standard Time' },
  // An apprentice without a mailbox yet: the time zone stays self-typed.
  'Adele Vance': { department: 'Marketing', jobTitle: 'Apprentice, Digital Marketing', officeLocation: 'Berlin HQ', preferredLanguage: 'de-DE' },
};
const PLAYGROUND_MANAGERS: Record<string, string> = {
  'Lynne Robbins': 'Patti Fernandez',
  'Isaiah Langer': 'Lynne Robbins',
  'Alex Wilber': 'Patti Fernandez',
  'Megan Bowen': 'Patti Fernandez',
  'Adele Vance': 'Megan Bowen',
};

/** Groups of the local directory, for `enrol group ...` (a nested one) and BOT_ADMIN_GROUP. */
export const PLAYGROUND_GROUPS = {
  champions: 'a1e70000-0000-4000-8000-000000000032',
  juniors: 'a1e70000-0000-4000-8000-000000000033',
  leaders: 'a1e70000-0000-4000-8000-000000000034',
};

/** The users of .m365agentsplayground.yml (its flat layout: name, userPrincipleName, aadObjectId). */
export function playgroundPeople(file = PLAYGROUND_CONFIG): Array<{ name: string; upn: string; id: string }> {
  const text = fs.readFileSync(file, 'utf8');
  const people: Array<{ name: string; upn: string; id: string }> = [];
  for (const block of text.split(/\n\s*(?=- id:|currentUser:)/)) {
    const name = /\n\s*name:\s*(.+)/.exec(`\n${block}`)?.[1]?.trim();
    const upn = /userPrincipleName:\s*(\S+)/.exec(block)?.[1];
    const id = /aadObjectId:\s*(\S+)/.exec(block)?.[1];
    if (name && upn && id) people.push({ name, upn, id });
  }
  return people;
}

/** The directory `npm start` serves: the Playground's users with departments, titles and managers. */
export function playgroundDirectory(file = PLAYGROUND_CONFIG): DirectorySeed {
  const people = playgroundPeople(file);
  const idOf = (name: string) => people.find((p) => p.name === name)?.id;
  const users: StandInUser[] = people.map((p) => ({
    id: p.id,
    displayName: p.name,
    userPrincipalName: p.upn,
    ...(PLAYGROUND_ORG[p.name] ?? {}),
    ...(PLAYGROUND_MANAGERS[p.name] && idOf(PLAYGROUND_MANAGERS[p.name]) ? { managerId: idOf(PLAYGROUND_MANAGERS[p.name]) } : {}),
  }));
  const ids = (...names: string[]) => names.map(idOf).filter((x): x is string => !!x);
  return {
    users,
    groups: [
      { id: PLAYGROUND_GROUPS.juniors, displayName: 'Digital Juniors', members: ids('Adele Vance', 'Isaiah Langer') },
      { id: PLAYGROUND_GROUPS.champions, displayName: 'Digital Champions', members: [...ids('Megan Bowen'), PLAYGROUND_GROUPS.juniors] },
      { id: PLAYGROUND_GROUPS.leaders, displayName: 'Leadership Team', members: ids('Patti Fernandez', 'Lynne Robbins') },
    ],
  };
}
