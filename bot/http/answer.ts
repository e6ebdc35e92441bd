// Plain answers written straight to Node's response: the edge uses them before restify has
// decorated anything, and they never carry a stack, a server path or an exception's text.
import type { ServerResponse } from 'http';

export const SAFE_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' } as const;

/** A JSON error answer `{ error, message }`; `close` ends the connection (a body we did not read). */
export function answerError(res: ServerResponse, status: number, error: string, message: string, extra: Record<string, string> = {}, close = false): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body = Buffer.from(JSON.stringify({ error, message }), 'utf8');
  res.writeHead(status, {
    ...SAFE_HEADERS,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': body.length,
    ...(close ? { Connection: 'close' } : {}),
    ...extra,
  });
  res.end(body);
}
