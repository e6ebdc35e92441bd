// A typed repository over one Azure Table, with optimistic concurrency.
// Domain objects are stored as columns; arrays and objects as JSON strings.
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, HttpClient } from '@azure/core-rest-pipeline';
import { odata, RestError, TableClient, TableEntityResult, TransactionAction } from '@azure/data-tables';

/** The record changed since it was read (HTTP 412) and the change was not applied. */
export class ConcurrencyError extends Error {
  constructor(what: string) {
    super(`${what} was changed by someone else at the same time`);
  }
}
/** A create found the record already there (HTTP 409). */
export class AlreadyExistsError extends Error {
  constructor(what: string) {
    super(`${what} already exists`);
  }
}
/** Storage could not be reached or answered with a server error: nothing was written. */
export class StorageUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`Storage is temporarily unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}
/** The record would exceed Table Storage limits (64 KiB a property, 1 MiB an entity). */
export class TooLargeError extends Error {}

export interface Versioned<T> {
  value: T;
  etag: string;
}

// Key characters Table Storage forbids, plus our separator, are percent-escaped.
export function keyPart(s: string): string {
  return s.replace(/[%/\\#?|\u0000-\u001f\u007f-\u009f]/g, (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0'));
}
export const key = (...parts: string[]): string => parts.map(keyPart).join('|');

const MAX_PROPERTY_CHARS = 32 * 1024; // 64 KiB of UTF-16
const MAX_ENTITY_BYTES = 1024 * 1024;

function statusOf(err: unknown): number | undefined {
  return err instanceof RestError ? err.statusCode : (err as { statusCode?: number })?.statusCode;
}

/** Maps transport failures and 5xx to StorageUnavailableError; leaves other errors alone. */
export function translateError(err: unknown): unknown {
  const status = statusOf(err);
  const code = (err as { code?: string })?.code ?? '';
  if (status === undefined && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|EAI_AGAIN|REQUEST_SEND_ERROR/.test(code + String(err))) {
    return new StorageUnavailableError(err);
  }
  if (status !== undefined && status >= 500) return new StorageUnavailableError(err);
  return err;
}

export async function guard<R>(op: () => Promise<R>): Promise<R> {
  try {
    return await op();
  } catch (err) {
    throw translateError(err);
  }
}

let projections: HttpClient | undefined;

/** Told after every write attempt (landed or not: a timed-out write may still have landed). */
export type WriteListener = (partitionKey: string) => void;

export class Repository<T extends object> {
  constructor(
    readonly client: TableClient,
    readonly what: string,
    private readonly keysOf: (t: T) => { partitionKey: string; rowKey: string },
    private readonly jsonFields: ReadonlyArray<keyof T & string> = [],
    private readonly wrote: WriteListener = () => undefined,
  ) {}

  keys(t: T) {
    return this.keysOf(t);
  }

  encode(t: T): Record<string, unknown> {
    const { partitionKey, rowKey } = this.keysOf(t);
    const entity: Record<string, unknown> = { partitionKey, rowKey };
    let bytes = 0;
    for (const [k, v] of Object.entries(t)) {
      if (v === undefined) continue;
      if ((this.jsonFields as readonly string[]).includes(k)) {
        // Long JSON (a large proposal's unmatched list) spans several properties: k, k__1, k__2...
        const json = JSON.stringify(v);
        for (let i = 0; i * MAX_PROPERTY_CHARS < json.length || i === 0; i++) {
          entity[i ? `${k}__${i}` : k] = json.slice(i * MAX_PROPERTY_CHARS, (i + 1) * MAX_PROPERTY_CHARS);
        }
        bytes += json.length * 2;
        continue;
      }
      if (typeof v === 'string') {
        if (v.length > MAX_PROPERTY_CHARS) throw new TooLargeError(`${this.what}.${k} is longer than Table Storage allows`);
        bytes += v.length * 2;
      } else bytes += 8;
      entity[k] = v;
    }
    if (bytes > MAX_ENTITY_BYTES) throw new TooLargeError(`${this.what} is larger than Table Storage allows`);
    return entity;
  }

  decode(e: TableEntityResult<Record<string, unknown>>): T {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(e)) {
      if (k === 'partitionKey' || k === 'rowKey' || k === 'etag' || k === 'timestamp' || k === 'odata.metadata' || k.includes('__')) continue;
      // As the service names them without the SDK (project): never part of a record.
      if (k === 'PartitionKey' || k === 'RowKey' || k === 'Timestamp') continue;
      out[k] = v;
    }
    for (const k of this.jsonFields) {
      if (typeof e[k] !== 'string') continue;
      let json = e[k] as string;
      for (let i = 1; typeof e[`${k}__${i}`] === 'string'; i++) json += e[`${k}__${i}`] as string;
      out[k] = JSON.parse(json);
    }
    return out as T;
  }

  async get(partitionKey: string, rowKey: string): Promise<Versioned<T> | undefined> {
    try {
      const e = await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey);
      return { value: this.decode(e), etag: e.etag };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw translateError(err);
    }
  }

  /** Inserts; throws AlreadyExistsError if the keys are taken (idempotent creates rely on it). */
  async create(t: T): Promise<string> {
    const entity = this.encode(t);
    try {
      const r = await this.client.createEntity(entity as never);
      return r.etag ?? '';
    } catch (err) {
      if (statusOf(err) === 409) throw new AlreadyExistsError(this.what);
      throw translateError(err);
    } finally {
      this.wrote(entity.partitionKey as string);
    }
  }

  /** Replaces the record only if it still has `etag`; ConcurrencyError otherwise. */
  async replace(t: T, etag: string): Promise<string> {
    const entity = this.encode(t);
    try {
      const r = await this.client.updateEntity(entity as never, 'Replace', { etag });
      return r.etag ?? '';
    } catch (err) {
      const status = statusOf(err);
      if (status === 412 || status === 404) throw new ConcurrencyError(this.what);
      throw translateError(err);
    } finally {
      this.wrote(entity.partitionKey as string);
    }
  }

  /** Unconditional write, for records with a single writer (e.g. conversation references). */
  async upsert(t: T): Promise<void> {
    const entity = this.encode(t);
    try {
      await guard(() => this.client.upsertEntity(entity as never, 'Replace'));
    } finally {
      this.wrote(entity.partitionKey as string);
    }
  }

  async delete(partitionKey: string, rowKey: string, etag = '*'): Promise<boolean> {
    try {
      await this.client.deleteEntity(partitionKey, rowKey, { etag });
      return true;
    } catch (err) {
      const status = statusOf(err);
      if (status === 404) return false;
      if (status === 412) throw new ConcurrencyError(this.what);
      throw translateError(err);
    } finally {
      this.wrote(partitionKey);
    }
  }

  /** All records of one partition, optionally narrowed by an OData filter on columns. */
  async list(partitionKey: string, filter?: string): Promise<Array<Versioned<T>>> {
    const f = filter ? `${odata`PartitionKey eq ${partitionKey}`} and (${filter})` : odata`PartitionKey eq ${partitionKey}`;
    return this.query(f);
  }

  /**
   * Some fields of the records matching an OData filter, for read models that only show them (a
   * ladder): no ETags and no type metadata on the wire (`odata=nometadata`), and decoded here
   * rather than by the SDK's serializer, which costs more than the rest of a ladder request. It
   * still goes through the client's own pipeline: its credential (key or managed identity), retries
   * and logging. Fields must be strings, numbers, booleans or JSON fields (as far as a JSON field's
   * first part: keep those well below the 32K characters a part holds).
   */
  async project<K extends keyof T & string>(filter: string, fields: readonly K[]): Promise<Array<Pick<T, K>>> {
    return guard(async () => {
      const out: Array<Pick<T, K>> = [];
      const base = `${this.client.url}/${this.client.tableName}()?$filter=${encodeURIComponent(filter)}&$select=${fields.map(encodeURIComponent).join(',')}`;
      let next = '';
      do {
        const request = createPipelineRequest({
          url: base + next,
          method: 'GET',
          allowInsecureConnection: this.client.url.startsWith('http:'),
          headers: createHttpHeaders({ Accept: 'application/json;odata=nometadata', DataServiceVersion: '3.0', 'x-ms-version': '2019-02-02' }),
        });
        const res = await this.client.pipeline.sendRequest((projections ??= createDefaultHttpClient()), request);
        if (res.status !== 200) throw new RestError(`Table query failed with HTTP ${res.status}`, { statusCode: res.status, request, response: res });
        // The client's deserialization policy has parsed the JSON already (it does for any JSON answer).
        const body = ((res as { parsedBody?: unknown }).parsedBody ?? JSON.parse(res.bodyAsText ?? '{}')) as { value?: Array<Record<string, unknown>> };
        for (const e of body.value ?? []) out.push(this.decode(e as never) as Pick<T, K>);
        const [pk, rk] = [res.headers.get('x-ms-continuation-nextpartitionkey'), res.headers.get('x-ms-continuation-nextrowkey')];
        next = pk ? `&NextPartitionKey=${encodeURIComponent(pk)}${rk ? `&NextRowKey=${encodeURIComponent(rk)}` : ''}` : '';
      } while (next);
      return out;
    });
  }

  /** Records matching an OData filter, each with its ETag. */
  async query(filter: string): Promise<Array<Versioned<T>>> {
    return guard(async () => {
      const out: Array<Versioned<T>> = [];
      for await (const e of this.client.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        out.push({ value: this.decode(e as TableEntityResult<Record<string, unknown>>), etag: e.etag });
      }
      return out;
    });
  }

  /**
   * Read-modify-write with ETags. `change` gets the current value (undefined if absent) and
   * returns the new one, or undefined to leave it as it is. A lost race re-reads and re-applies,
   * so no update is silently overwritten; after `attempts` lost races ConcurrencyError is thrown.
   * `read`: the record as the caller has just read it, so the first attempt needs no read.
   */
  async mutate(
    partitionKey: string,
    rowKey: string,
    change: (current: T | undefined) => T | undefined | Promise<T | undefined>,
    { attempts = 5, read }: { attempts?: number; read?: Versioned<T> } = {},
  ): Promise<{ value: T | undefined; changed: boolean }> {
    for (let i = 0; i < attempts; i++) {
      const current = i === 0 && read ? read : await this.get(partitionKey, rowKey);
      const next = await change(current?.value);
      if (next === undefined) return { value: current?.value, changed: false };
      try {
        if (current) await this.replace(next, current.etag);
        else await this.create(next);
        return { value: next, changed: true };
      } catch (err) {
        if (err instanceof ConcurrencyError || err instanceof AlreadyExistsError) continue;
        throw err;
      }
    }
    throw new ConcurrencyError(this.what);
  }

  /** All-or-nothing write of up to 100 records of one partition. */
  async transaction(actions: Array<['create' | 'upsert' | 'delete', T]>): Promise<void> {
    if (!actions.length) return;
    const ops: TransactionAction[] = actions.map(([kind, t]) => {
      if (kind === 'delete') {
        const k = this.keysOf(t);
        return ['delete', { partitionKey: k.partitionKey, rowKey: k.rowKey }];
      }
      return kind === 'create' ? ['create', this.encode(t) as never] : ['upsert', this.encode(t) as never, 'Replace'];
    });
    try {
      await this.client.submitTransaction(ops);
    } catch (err) {
      const status = statusOf(err);
      if (status === 409) throw new AlreadyExistsError(this.what);
      if (status === 412) throw new ConcurrencyError(this.what);
      throw translateError(err);
    } finally {
      this.wrote(this.keysOf(actions[0][1]).partitionKey);
    }
  }
}
