// The check-in job queue on Azure Queue Storage (Azurite locally). Delivery is at least once:
// a received message is hidden for the visibility timeout and comes back unless deleted, so a
// crashed worker's jobs are picked up again. Jobs are idempotent (see bot/checkins/jobRunner.ts).
import { DefaultAzureCredential } from '@azure/identity';
import { QueueClient, QueueServiceClient, RestError } from '@azure/storage-queue';
import type { Config } from '../config';
import { JobMessage, parseJob } from '../domain/checkins';
import { StorageUnavailableError } from './repository';

export interface Received {
  /** Undefined when the message is not a job we understand (it is deleted, never retried). */
  job?: JobMessage;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
}

const status = (err: unknown) => (err instanceof RestError ? err.statusCode : (err as { statusCode?: number })?.statusCode);

async function guard<R>(op: () => Promise<R>): Promise<R> {
  try {
    return await op();
  } catch (err) {
    const s = status(err);
    if (s === undefined || s >= 500) throw new StorageUnavailableError(err);
    throw err;
  }
}

export class JobQueue {
  private readonly client: QueueClient;
  private ready?: Promise<unknown>;
  private readonly listeners = new Set<() => void>();

  constructor(config: Pick<Config, 'storageConnectionString' | 'storageAccount' | 'queueName'>) {
    // A few quick retries: a storage blip should not fail a round, and a retried send only adds
    // a duplicate job, which the dispatch record makes harmless.
    const options = { retryOptions: { maxTries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 2000, tryTimeoutInMs: 30000 } };
    const service = config.storageConnectionString
      ? QueueServiceClient.fromConnectionString(config.storageConnectionString, options)
      : new QueueServiceClient(`https://${config.storageAccount}.queue.core.windows.net`, new DefaultAzureCredential(), options);
    this.client = service.getQueueClient(config.queueName);
  }

  /** Creates the queue once per process; safe from several instances. */
  ensure(): Promise<unknown> {
    this.ready ??= guard(() => this.client.createIfNotExists()).catch((err) => {
      this.ready = undefined;
      throw err;
    });
    return this.ready;
  }

  /** Called after jobs were enqueued from this process, so a local dispatcher wakes at once. */
  onEnqueue(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues the jobs; the i-th becomes visible after `visibleInSeconds[i]` (default: at once). */
  async enqueue(jobs: JobMessage[], visibleInSeconds: number[] = [], parallel = 32): Promise<void> {
    await this.ensure();
    let next = 0;
    const worker = async () => {
      while (next < jobs.length) {
        const i = next++;
        const visibilityTimeout = Math.max(0, Math.floor(visibleInSeconds[i] ?? 0));
        // Never expire (-1): a job must not vanish while a round waits for it.
        await guard(() => this.client.sendMessage(JSON.stringify(jobs[i]), { messageTimeToLive: -1, ...(visibilityTimeout ? { visibilityTimeout } : {}) }));
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
    if (jobs.length) this.listeners.forEach((l) => l());
  }

  async receive(max: number, visibilitySeconds: number): Promise<Received[]> {
    await this.ensure();
    const res = await guard(() => this.client.receiveMessages({ numberOfMessages: Math.max(1, Math.min(32, max)), visibilityTimeout: visibilitySeconds }));
    return res.receivedMessageItems.map((m) => ({ job: parseJob(m.messageText), messageId: m.messageId, popReceipt: m.popReceipt, dequeueCount: m.dequeueCount }));
  }

  /** Acknowledges a job. False if another receiver holds it now (its pop receipt changed) or it is gone. */
  async delete(m: Received): Promise<boolean> {
    try {
      await guard(() => this.client.deleteMessage(m.messageId, m.popReceipt));
      return true;
    } catch (err) {
      if (status(err) === 404 || status(err) === 400) return false;
      throw err;
    }
  }

  /** Hands a job back: visible again after `seconds` (0 = now). */
  async release(m: Received, seconds: number): Promise<boolean> {
    try {
      const r = await guard(() => this.client.updateMessage(m.messageId, m.popReceipt, undefined, Math.max(0, Math.round(seconds))));
      if (r.popReceipt) m.popReceipt = r.popReceipt;
      return true;
    } catch (err) {
      if (status(err) === 404 || status(err) === 400) return false;
      throw err;
    }
  }

  /** Approximate number of waiting jobs (for status and the benchmark). */
  async approximateCount(): Promise<number> {
    await this.ensure();
    return (await guard(() => this.client.getProperties())).approximateMessagesCount ?? 0;
  }
}
