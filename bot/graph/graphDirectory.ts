// The directory through Microsoft Graph v1.0, with @microsoft/microsoft-graph-client over
// @azure/identity app-only tokens (the bot's Entra app: client secret, or its managed identity).
// What it asks for and how (see STACK.md, "Microsoft Graph"):
// - a person: GET /users/{id} with $select (department is not a default property), their
//   mailbox's time zone (mailboxSettings, Windows names mapped to IANA) and the whole management
//   chain in the same call ($expand=manager($levels=max), which needs ConsistencyLevel: eventual
//   and $count=true); many people: 20 of those per $batch, sub-request URLs relative to /v1.0
//   (the SDK's batch helper writes /v1.0/ into them, which Graph rejects);
// - a group's users: /transitiveMembers/microsoft.graph.user, every @odata.nextLink followed here
//   (the SDK's PageIterator follows https links only);
// - 429 and 503: Retry-After first, else exponential backoff; the SDK's retry handler is left
//   out (it waits about 14 s per 503), and a person waiting for a card gets a bounded budget.
import { Client, GraphError } from '@microsoft/microsoft-graph-client';
import type * as Graph from '@microsoft/microsoft-graph-types';
import type { TokenCredential } from '@azure/identity';
import { Directory, DirectoryGroup, DirectoryMember, DirectoryPerson, DirectoryUnavailableError, NO_DIRECTORY, Patience } from '../services/directory';
import { backoffMs, BUDGETS, graphClient, retryable, retryAfterMs } from './graphHttp';
import { ianaZone } from './timeZones';

export interface GraphDirectoryOptions {
  /** Graph's root, e.g. https://graph.microsoft.com (calls go to /v1.0/... under it). */
  baseUrl: string;
  /** App-only credential per tenant; undefined: no token (local mode against the stand-in). */
  credential?: (tenantId: string) => TokenCredential;
  /** $batch requests in flight at once. */
  concurrency?: number;
  /** Sleep, injectable for tests of the waits themselves. */
  sleep?: (ms: number) => Promise<void>;
}

const PERSON_FIELDS = 'id,displayName,userPrincipalName,department,jobTitle,officeLocation,preferredLanguage';
const MEMBER_FIELDS = 'id,displayName,userPrincipalName';
const BATCH_SIZE = 20;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SubRequest {
  id: string;
  method: 'GET';
  url: string;
  headers?: Record<string, string>;
}
interface SubResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string } } & Record<string, unknown>;
}

export class GraphDirectory implements Directory {
  readonly enabled = true;
  private readonly clients = new Map<string, Client>();
  private readonly root: string;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Tenants that refused mailbox settings (MailboxSettings.Read not granted): asked without them. */
  private readonly noMailboxAccess = new Set<string>();
  /** People known to have no mailbox (tenant|id): asked without mailbox settings from then on. */
  private readonly noMailbox = new Set<string>();

  private mailboxFor(tenantId: string, id: string): boolean {
    return !this.noMailboxAccess.has(tenantId) && !this.noMailbox.has(`${tenantId}|${id.toLowerCase()}`);
  }

  constructor(private readonly options: GraphDirectoryOptions) {
    this.root = options.baseUrl.replace(/\/+$/, '');
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private client(tenantId: string): Client {
    let client = this.clients.get(tenantId);
    if (!client) {
      client = graphClient(this.root, this.options.credential?.(tenantId), `${graphResource(this.root)}/.default`, (err) => new DirectoryUnavailableError(`no Graph token: ${err instanceof Error ? err.name : 'error'}`));
      this.clients.set(tenantId, client);
    }
    return client;
  }

  /** A path relative to /v1.0 for an absolute @odata.nextLink of this Graph (the SDK parses https links only). */
  private relative(link: string): string {
    const prefix = `${this.root}/v1.0`;
    return link.startsWith(prefix) ? link.slice(prefix.length) : link;
  }

  /** One GET or POST with the retry policy: Retry-After first, else backoff, within the budget. */
  private async call<T>(tenantId: string, patience: Patience, send: (client: Client, signal: AbortSignal) => Promise<T>): Promise<T> {
    const budget = BUDGETS[patience];
    for (let attempt = 0; ; attempt++) {
      try {
        return await send(this.client(tenantId), AbortSignal.timeout(budget.timeoutMs));
      } catch (err) {
        if (err instanceof DirectoryUnavailableError) throw err;
        const status = err instanceof GraphError && err.statusCode > 0 ? err.statusCode : undefined;
        if (status !== undefined && !retryable(status)) throw err;
        const wait = retryAfterMs(err instanceof GraphError ? err.headers?.get('Retry-After') : undefined) ?? backoffMs(attempt);
        if (attempt + 1 >= budget.attempts || wait > budget.maxWaitMs) throw new DirectoryUnavailableError(`Graph ${status ?? 'unreachable'}`);
        await this.sleep(wait);
      }
    }
  }

  /** Graph's answer for a known "not there" (404), else the error. */
  private static notFound(err: unknown): boolean {
    return err instanceof GraphError && err.statusCode === 404;
  }

  private personUrl(id: string, mailbox: boolean): string {
    return `/users/${encodeURIComponent(id)}?$select=${PERSON_FIELDS}${mailbox ? ',mailboxSettings' : ''}&$expand=manager($levels=max;$select=id)&$count=true`;
  }

  private static person(u: Graph.User): DirectoryPerson {
    // $expand=manager($levels=max) nests the chain: manager.manager.manager...
    type Node = Graph.DirectoryObject & { manager?: Node | null };
    const managers: string[] = [];
    for (let m = u.manager as Node | null | undefined; m?.id && !managers.includes(m.id); m = m.manager) managers.push(m.id);
    return {
      id: u.id ?? '',
      displayName: u.displayName ?? '',
      userPrincipalName: u.userPrincipalName ?? undefined,
      department: u.department ?? undefined,
      jobTitle: u.jobTitle ?? undefined,
      officeLocation: u.officeLocation ?? undefined,
      preferredLanguage: u.preferredLanguage ?? undefined,
      timeZone: ianaZone(u.mailboxSettings?.timeZone),
      managers,
    };
  }

  async people(tenantId: string, ids: string[], patience: Patience): Promise<Map<string, DirectoryPerson>> {
    const unique = [...new Set(ids.filter((id) => GUID.test(id)))];
    const out = new Map<string, DirectoryPerson>();
    if (unique.length === 1) {
      // One person (a join, a nomination, `profile`): one plain request, no batch.
      const found = await this.onePerson(tenantId, unique[0], patience);
      if (found) out.set(unique[0], found);
      return out;
    }
    // Those found to have no mailbox are asked again without it, together, after the first pass.
    const withoutMailbox: string[] = [];
    const pass = async (items: Array<{ id: string; mailbox: boolean }>) => {
      const chunks: Array<typeof items> = [];
      for (let i = 0; i < items.length; i += BATCH_SIZE) chunks.push(items.slice(i, i + BATCH_SIZE));
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const { found, noMailbox } = await this.batchOfPeople(tenantId, chunks[next++], patience);
          for (const [id, p] of found) out.set(id, p);
          withoutMailbox.push(...noMailbox);
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 4, chunks.length) }, worker));
    };
    await pass(unique.map((id) => ({ id, mailbox: this.mailboxFor(tenantId, id) })));
    if (withoutMailbox.length) await pass(withoutMailbox.splice(0).map((id) => ({ id, mailbox: false })));
    return out;
  }

  private async onePerson(tenantId: string, id: string, patience: Patience, mailbox = this.mailboxFor(tenantId, id)): Promise<DirectoryPerson | undefined> {
    try {
      const user = await this.call(tenantId, patience, (c, signal) => c.api(this.personUrl(id, mailbox)).header('ConsistencyLevel', 'eventual').options({ signal }).get());
      return GraphDirectory.person(user);
    } catch (err) {
      if (err instanceof GraphError && mailbox && GraphDirectory.mailboxRefused(err.statusCode, err.code ?? undefined)) {
        if (err.statusCode === 403) this.noMailboxAccess.add(tenantId);
        else this.noMailbox.add(`${tenantId}|${id.toLowerCase()}`);
        return this.onePerson(tenantId, id, patience, false);
      }
      if (GraphDirectory.notFound(err)) return undefined;
      if (err instanceof GraphError) throw new DirectoryUnavailableError(`Graph ${err.statusCode} ${err.code ?? ''}`);
      throw err;
    }
  }

  /** No mailbox (404 MailboxNotEnabledForRESTAPI) or no right to read it (403 ErrorAccessDenied): ask again without. */
  private static mailboxRefused(status: number, code: string | undefined): boolean {
    return (status === 404 && code === 'MailboxNotEnabledForRESTAPI') || (status === 403 && code === 'ErrorAccessDenied');
  }

  /**
   * Up to 20 people in $batch rounds: throttled or failed sub-requests go again after Retry-After;
   * those without a mailbox are returned to be asked again without it (with others, in one batch).
   */
  private async batchOfPeople(
    tenantId: string, items: Array<{ id: string; mailbox: boolean }>, patience: Patience,
  ): Promise<{ found: Map<string, DirectoryPerson>; noMailbox: string[] }> {
    const budget = BUDGETS[patience];
    const out = new Map<string, DirectoryPerson>();
    const noMailbox: string[] = [];
    let pending = items;
    for (let round = 0; pending.length; round++) {
      const requests: SubRequest[] = pending.map((p, k) => ({ id: String(k), method: 'GET', url: this.personUrl(p.id, p.mailbox), headers: { ConsistencyLevel: 'eventual' } }));
      const answer = await this.call(tenantId, patience, (c, signal) => c.api('/$batch').options({ signal }).post({ requests })) as { responses?: SubResponse[] };
      const again: typeof pending = [];
      let throttled = false;
      let wait = 0;
      for (const r of answer.responses ?? []) {
        const asked = pending[Number(r.id)];
        if (!asked) continue;
        const code = r.body?.error?.code;
        if (r.status >= 200 && r.status < 300) out.set(asked.id, GraphDirectory.person(r.body as Graph.User));
        else if (asked.mailbox && GraphDirectory.mailboxRefused(r.status, code)) {
          if (r.status === 403) this.noMailboxAccess.add(tenantId);
          else this.noMailbox.add(`${tenantId}|${asked.id.toLowerCase()}`);
          noMailbox.push(asked.id);
        } else if (r.status === 404) continue; // no such user (any more)
        else if (retryable(r.status)) {
          again.push(asked);
          throttled = true;
          const header = Object.entries(r.headers ?? {}).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
          wait = Math.max(wait, retryAfterMs(header) ?? backoffMs(round));
        } else throw new DirectoryUnavailableError(`Graph ${r.status} ${code ?? ''}`);
      }
      if (throttled) {
        // Retry-After of the sub-responses first (the longest of them), else backoff.
        if (round + 1 >= budget.attempts || wait > budget.maxWaitMs) throw new DirectoryUnavailableError('Graph kept throttling or failing');
        await this.sleep(wait);
      }
      pending = again;
    }
    return { found: out, noMailbox };
  }

  async groups(tenantId: string, nameOrId: string): Promise<DirectoryGroup[]> {
    const value = nameOrId.trim();
    if (!value) return [];
    try {
      if (GUID.test(value)) {
        const g = (await this.call(tenantId, 'person-waiting', (c, signal) => c.api(`/groups/${value}`).select('id,displayName').options({ signal }).get())) as Graph.Group;
        return [{ id: g.id ?? value, displayName: g.displayName ?? '' }];
      }
      const filter = `displayName eq '${value.replace(/'/g, "''")}'`;
      const found = (await this.call(tenantId, 'person-waiting', (c, signal) =>
        c.api('/groups').filter(filter).select('id,displayName').top(10).options({ signal }).get(),
      )) as { value?: Graph.Group[] };
      return (found.value ?? []).map((g) => ({ id: g.id ?? '', displayName: g.displayName ?? '' }));
    } catch (err) {
      if (GraphDirectory.notFound(err)) return [];
      if (err instanceof GraphError) throw new DirectoryUnavailableError(`Graph ${err.statusCode} ${err.code ?? ''}`);
      throw err;
    }
  }

  async members(tenantId: string, groupId: string): Promise<DirectoryMember[]> {
    const seen = new Map<string, DirectoryMember>();
    let path: string | undefined = `/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user?$select=${MEMBER_FIELDS}&$top=999`;
    try {
      while (path) {
        const url: string = path;
        const page = (await this.call(tenantId, 'background', (c, signal) => c.api(url).options({ signal }).get())) as { value?: Graph.User[]; '@odata.nextLink'?: string };
        for (const u of page.value ?? []) {
          if (u.id && !seen.has(u.id)) seen.set(u.id, { id: u.id, displayName: u.displayName ?? '', userPrincipalName: u.userPrincipalName ?? undefined });
        }
        path = page['@odata.nextLink'] ? this.relative(page['@odata.nextLink']) : undefined;
      }
    } catch (err) {
      if (GraphDirectory.notFound(err)) return [];
      if (err instanceof GraphError) throw new DirectoryUnavailableError(`Graph ${err.statusCode} ${err.code ?? ''}`);
      throw err;
    }
    return [...seen.values()];
  }
}

/** Microsoft's own sign-in hosts: MSAL knows their metadata. */
const MICROSOFT_AUTHORITIES = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.chinacloudapi.cn', 'login.partner.microsoftonline.cn', 'login.microsoft.com', 'login.windows.net', 'login.usgovcloudapi.net', 'login-us.microsoftonline.com', 'sts.windows.net'];

/**
 * @azure/identity options for AZURE_AUTHORITY_HOST. For a host that is not one of Microsoft's
 * clouds (a private cloud, the tests' local issuer) MSAL would ask login.microsoftonline.com
 * whether to trust it (instance discovery); it is trusted as configured instead and asked for its
 * own OpenID metadata.
 */
export function authorityOptions(authorityHost: string | undefined): { authorityHost?: string; disableInstanceDiscovery?: boolean } {
  if (!authorityHost) return {};
  const host = new URL(authorityHost).hostname.toLowerCase();
  return MICROSOFT_AUTHORITIES.includes(host) ? { authorityHost } : { authorityHost, disableInstanceDiscovery: true };
}

/** App-only credentials of the bot's Entra app: its managed identity (UserAssignedMSI) or its client secret. */
export function botCredential(
  c: { appId: string; appPassword: string; appType: string; azureAuthorityHost?: string },
): ((tenantId: string) => TokenCredential) | undefined {
  if (!c.appId) return undefined;
  // Lazy: @azure/identity is only loaded by a deployed server.
  const identity = require('@azure/identity') as typeof import('@azure/identity');
  if (c.appType === 'UserAssignedMSI') {
    const mi = new identity.ManagedIdentityCredential({ clientId: c.appId });
    return () => mi;
  }
  const byTenant = new Map<string, TokenCredential>();
  return (tenantId) => {
    let cred = byTenant.get(tenantId);
    if (!cred) {
      cred = new identity.ClientSecretCredential(tenantId, c.appId, c.appPassword, authorityOptions(c.azureAuthorityHost));
      byTenant.set(tenantId, cred);
    }
    return cred;
  };
}

/**
 * The directory a server uses: Graph when a bot app is configured (tokens) or GRAPH_BASE_URL is
 * set (local mode: called without a token, e.g. the stand-in); otherwise none.
 */
export function createDirectory(c: { graphBaseUrl?: string; appId: string; appPassword: string; appType: string; azureAuthorityHost?: string }): Directory {
  if (!c.graphBaseUrl && !c.appId) return NO_DIRECTORY;
  return new GraphDirectory({ baseUrl: c.graphBaseUrl || DEFAULT_GRAPH_BASE_URL, credential: botCredential(c) });
}

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com';

/** Graph's national clouds: each is its own token audience. */
const GRAPH_CLOUDS = ['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us', 'https://microsoftgraph.chinacloudapi.cn'];

/**
 * The resource a Graph token is asked for: the configured Graph when it is one of Microsoft's
 * clouds, else (a proxy, the tests' stand-in) Graph's global resource, which is what such a
 * host is standing in for.
 */
export function graphResource(baseUrl: string): string {
  const root = baseUrl.replace(/\/+$/, '').toLowerCase();
  return GRAPH_CLOUDS.includes(root) ? root : DEFAULT_GRAPH_BASE_URL;
}
