// What every Graph client of the app shares: the token on each request (from @azure/identity; none
// in local mode), and the retry policy (Retry-After first, else exponential backoff, within a
// budget that depends on whether a person is waiting).
import { Client, Context, HTTPMessageHandler, Middleware } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import type { Patience } from '../services/directory';

export interface Budget {
  attempts: number;
  /** The longest Retry-After (or backoff) worth waiting for, ms. */
  maxWaitMs: number;
  /** Per HTTP request. */
  timeoutMs: number;
}

export const BUDGETS: Record<Patience, Budget> = {
  'person-waiting': { attempts: 2, maxWaitMs: 3_000, timeoutMs: 5_000 },
  background: { attempts: 6, maxWaitMs: 60_000, timeoutMs: 30_000 },
};

/** Adds the bearer token (none in local mode); the SDK's own authentication handler would skip non-Graph hosts. */
class TokenMiddleware implements Middleware {
  private next?: Middleware;
  constructor(private readonly credential: TokenCredential | undefined, private readonly scope: string, private readonly failed: (err: unknown) => Error) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    if (this.credential) {
      const token = await this.credential.getToken(this.scope).catch((err: unknown) => {
        throw this.failed(err);
      });
      if (!token) throw this.failed(undefined);
      const options = (context.options ??= {});
      const headers = new Headers(options.headers as HeadersInit | undefined);
      headers.set('Authorization', `Bearer ${token.token}`);
      options.headers = Object.fromEntries(headers);
    }
    await this.next!.execute(context);
  }
}

/** A Graph client for `root` (calls go to /v1.0/...) whose requests carry `credential`'s token for `scope`. */
export function graphClient(root: string, credential: TokenCredential | undefined, scope: string, failed: (err: unknown) => Error): Client {
  const auth = new TokenMiddleware(credential, scope, failed);
  auth.setNext(new HTTPMessageHandler());
  return Client.initWithMiddleware({ middleware: auth, baseUrl: `${root}/`, defaultVersion: 'v1.0' });
}

/** A failed call worth retrying (no answer, throttled, Graph's server errors). */
export function retryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Retry-After in seconds or as a date, in ms. */
export function retryAfterMs(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

export const backoffMs = (attempt: number): number => Math.min(8_000, 250 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
