// One attempt per Bot Connector request, for proactive check-in sends.
//
// botbuilder's ConnectorClient sits on @azure/core-rest-pipeline, whose defaultRetryPolicy
// retries up to 3 times on its own: a 429 after its Retry-After, a 5xx (or 408) with backoff,
// and network errors (ECONNRESET, ETIMEDOUT...). Checked against the stand-in: a 503 and a 429
// each came back as a success after a hidden second POST. For the dispatcher that is wrong
// twice over: throttling is invisible to the pacer, and re-POSTing after a reset or a 5xx that
// Teams had in fact processed posts the card twice. The retry policy cannot be switched off
// through ConnectorClientOptions, but it only retries errors it recognises; this client makes
// one attempt and turns 429, 5xx and network failures into ConnectorHttpError, which the
// policy passes straight through. The dispatcher then decides (pacer pause, backoff, record).
import { toHttpHeadersLike } from '@azure/core-http-compat';
import type { CompatResponse, RequestPolicy, WebResourceLike } from '@azure/core-http-compat';
import { createHttpHeaders } from '@azure/core-rest-pipeline';

export class ConnectorHttpError extends Error {
  constructor(
    /** HTTP status, or undefined when no answer came (network failure, timeout). */
    readonly statusCode: number | undefined,
    /** From Retry-After (seconds or HTTP date), when Teams sent one. */
    readonly retryAfterMs?: number,
    /** True when the request certainly never reached the server (connection refused). */
    readonly notSent = false,
  ) {
    super(statusCode ? `Bot Connector answered ${statusCode}` : 'Bot Connector request failed without an answer');
    this.name = 'ConnectorHttpError';
  }
}

export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export class SingleAttemptHttpClient implements RequestPolicy {
  /** `signal` aborts every request in flight (a dispatcher killed mid-round, in tests and the bench). */
  constructor(
    private readonly timeoutMs = 30000,
    private readonly signal?: AbortSignal,
  ) {}

  async sendRequest(request: WebResourceLike): Promise<CompatResponse> {
    let res: Response;
    try {
      res = await fetch(request.url, {
        method: request.method,
        headers: request.headers.toJson({ preserveCase: true }),
        body: typeof request.body === 'string' || request.body instanceof Uint8Array ? (request.body as string) : request.body ? JSON.stringify(request.body) : undefined,
        signal: this.signal ? AbortSignal.any([this.signal, AbortSignal.timeout(request.timeout || this.timeoutMs)]) : AbortSignal.timeout(request.timeout || this.timeoutMs),
        redirect: 'manual',
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } })?.cause?.code ?? '';
      throw new ConnectorHttpError(undefined, undefined, code === 'ECONNREFUSED');
    }
    const bodyAsText = await res.text().catch(() => '');
    if (res.status === 429 || res.status >= 500 || res.status === 408) {
      throw new ConnectorHttpError(res.status, retryAfterMs(res.headers.get('retry-after')));
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    return { request, status: res.status, headers: toHttpHeadersLike(createHttpHeaders(headers)), bodyAsText } as CompatResponse;
  }
}
