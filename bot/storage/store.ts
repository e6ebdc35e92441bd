// All tables of Reverse Mentor and their key design (see docs/STORAGE.md).
// Every key starts with the tenant id: data never crosses tenants.
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { DefaultAzureCredential } from '@azure/identity';
import type {
  Admin, Baseline, CheckinRecord, CheckinRound, FeedbackRecord, Pair, Participant, Programme, ProposalRecord,
  SendSchedule, SessionSeries, TenantRecord, TutorialProgress, UserContact,
} from '../domain/types';
import { guard, key, keyPart, Repository } from './repository';
import { signWithAccountKey } from './sharedKey';

export interface StorageOptions {
  connectionString?: string;
  account?: string;
  tablePrefix?: string;
}

const TABLES = ['tenants', 'programmes', 'participants', 'pairs', 'proposals', 'rounds', 'checkins', 'progress', 'users', 'admins', 'feedback', 'sendschedule', 'baselines', 'sessions'] as const;
type TableName = (typeof TABLES)[number];

export const programmePartition = (tenantId: string, programmeId: string) => key(tenantId, programmeId);
export const roundPartition = (tenantId: string, programmeId: string, round: number) => key(tenantId, programmeId, roundKey(round));
export const roundKey = (round: number) => String(round).padStart(6, '0');
export const pairId = (mentorId: string, menteeId: string) => key(mentorId, menteeId);
/** A survey answer's row: the closing survey's is the person's id (as before the pulse), the pulse's `<user>|mid`. */
export const feedbackKey = (userId: string, phase: 'mid' | 'end' = 'end') => (phase === 'end' ? key(userId) : key(userId, phase));

export class Store {
  readonly programmes: Repository<Programme>;
  readonly participants: Repository<Participant>;
  readonly pairs: Repository<Pair>;
  readonly proposals: Repository<ProposalRecord>;
  readonly rounds: Repository<CheckinRound>;
  readonly checkins: Repository<CheckinRecord>;
  readonly progress: Repository<TutorialProgress>;
  readonly users: Repository<UserContact>;
  readonly admins: Repository<Admin>;
  readonly feedback: Repository<FeedbackRecord>;
  readonly baselines: Repository<Baseline>;
  readonly tenants: Repository<TenantRecord>;
  readonly sendSchedule: Repository<SendSchedule>;
  readonly sessions: Repository<SessionSeries>;
  private readonly service: TableServiceClient;
  private readonly clients: Record<TableName, TableClient>;
  /** Writes through this Store per tenant: a version stamp that tells read caches they are stale. */
  private readonly tenantWrites = new Map<string, number>();
  private readonly noteWrite = (partitionKey: string): void => {
    // Every partition key starts with the tenant's key part.
    const tenant = partitionKey.split('|')[0];
    this.tenantWrites.set(tenant, (this.tenantWrites.get(tenant) ?? 0) + 1);
  };

  constructor(opts: StorageOptions) {
    const prefix = opts.tablePrefix ?? '';
    const allowInsecureConnection = /http:\/\//i.test(opts.connectionString ?? '') || /UseDevelopmentStorage/i.test(opts.connectionString ?? '');
    // Fail fast when storage is down: the user is told to try again rather than kept waiting.
    const clientOptions = { allowInsecureConnection, retryOptions: { maxRetries: 2, retryDelayInMs: 100, maxRetryDelayInMs: 800 } };
    const credential = opts.connectionString ? undefined : new DefaultAzureCredential();
    const endpoint = `https://${opts.account}.table.core.windows.net`;
    if (!opts.connectionString && !opts.account) throw new Error('Storage needs a connection string or an account name');
    const make = (name: string): TableClient => {
      if (!opts.connectionString) return new TableClient(endpoint, prefix + name, credential!, clientOptions);
      const client = TableClient.fromConnectionString(opts.connectionString, prefix + name, clientOptions);
      signWithAccountKey(client, opts.connectionString);
      return client;
    };
    this.service = opts.connectionString
      ? TableServiceClient.fromConnectionString(opts.connectionString, clientOptions)
      : new TableServiceClient(endpoint, credential!, clientOptions);
    this.clients = Object.fromEntries(TABLES.map((t) => [t, make(t)])) as Record<TableName, TableClient>;
    const c = this.clients;

    // Programmes of a tenant: one partition, listed whole (a tenant has tens, not thousands).
    this.programmes = this.repository<Programme>(c.programmes, 'programme', (p) => ({ partitionKey: key(p.tenantId), rowKey: key(p.id) }), ['levels']);
    // Participants of a programme: one partition per programme, one row per person.
    this.participants = this.repository<Participant>(
      c.participants, 'participant',
      (p) => ({ partitionKey: programmePartition(p.tenantId, p.programmeId), rowKey: key(p.userId) }),
      ['languages', 'preferredDays', 'skills', 'wantLevels', 'excluded', 'directory'],
    );
    // Pairs of a programme; the row key is mentor|mentee, so a pair is stored at most once.
    this.pairs = this.repository<Pair>(
      c.pairs, 'pair',
      (p) => ({ partitionKey: programmePartition(p.tenantId, p.programmeId), rowKey: key(p.id) }),
      ['reasons'],
    );
    this.proposals = this.repository<ProposalRecord>(
      c.proposals, 'proposal',
      (p) => ({ partitionKey: programmePartition(p.tenantId, p.programmeId), rowKey: key(p.id) }),
      ['unmatched'],
    );
    // Rounds of a programme, row key zero-padded so they list in order.
    this.rounds = this.repository<CheckinRound>(
      c.rounds, 'check-in round',
      (r) => ({ partitionKey: programmePartition(r.tenantId, r.programmeId), rowKey: roundKey(r.round) }),
    );
    // One partition per round: its dispatch records and answers, one row per person.
    this.checkins = this.repository<CheckinRecord>(
      c.checkins, 'check-in',
      (r) => ({ partitionKey: roundPartition(r.tenantId, r.programmeId, r.round), rowKey: key(r.userId) }),
      ['tutorials'],
    );
    // A person's ladder: one partition per person, one row per tutorial touched.
    this.progress = this.repository<TutorialProgress>(
      c.progress, 'tutorial progress',
      (p) => ({ partitionKey: key(p.tenantId, p.userId), rowKey: key(p.tutorialId) }),
    );
    this.users = this.repository<UserContact>(c.users, 'user', (u) => ({ partitionKey: key(u.tenantId), rowKey: key(u.userId) }));
    this.admins = this.repository<Admin>(c.admins, 'admin', (a) => ({ partitionKey: key(a.tenantId), rowKey: key(a.userId) }));
    // One row per tenant: where the tenant's Bot Connector lives, for first-contact messages.
    this.tenants = this.repository<TenantRecord>(c.tenants, 'tenant', (r) => ({ partitionKey: key(r.tenantId), rowKey: 'settings' }));
    // The closing survey and the mid-point pulse, once per person each: one partition per programme.
    this.feedback = this.repository<FeedbackRecord>(
      c.feedback, 'feedback',
      (f) => ({ partitionKey: programmePartition(f.tenantId, f.programmeId), rowKey: feedbackKey(f.userId, f.phase ?? 'end') }),
      ['levels', 'business'],
    );
    // Where each person started (self-assessment when first paired, a mentor's business ratings when they joined).
    this.baselines = this.repository<Baseline>(
      c.baselines, 'baseline',
      (b) => ({ partitionKey: programmePartition(b.tenantId, b.programmeId), rowKey: key(b.userId) }),
      ['skills', 'business'],
    );
    // A pair's calendar series: one partition per programme, one row per pair (so a pair books one series).
    this.sessions = this.repository<SessionSeries>(
      c.sessions, 'session series',
      (x) => ({ partitionKey: programmePartition(x.tenantId, x.programmeId), rowKey: key(x.pairId) }),
      ['exceptions'],
    );
    // One row per tenant, written many times a second during a round: not counted as a write that
    // makes read caches stale (it holds nothing any answer shows).
    this.sendSchedule = new Repository<SendSchedule>(c.sendschedule, 'send schedule', (r) => ({ partitionKey: key(r.tenantId), rowKey: 'schedule' }));
  }

  /** How many writes went through this Store to the tenant's records so far (landed or not). */
  writesOf(tenantId: string): number {
    return this.tenantWrites.get(keyPart(tenantId)) ?? 0;
  }

  private repository<T extends object>(
    client: TableClient, what: string, keysOf: (t: T) => { partitionKey: string; rowKey: string }, jsonFields: ReadonlyArray<keyof T & string> = [],
  ): Repository<T> {
    return new Repository<T>(client, what, keysOf, jsonFields, this.noteWrite);
  }

  /** Creates any missing table; safe to call on every start and from several instances. */
  async ensureTables(): Promise<void> {
    await guard(() => Promise.all(Object.values(this.clients).map((c) => c.createTable())));
  }

  /** Health probe: one cheap round trip to the table service. */
  async ping(): Promise<boolean> {
    try {
      await guard(() => this.service.getProperties());
      return true;
    } catch {
      return false;
    }
  }
}
