// HTTP requests exactly as written (any method, path, headers and body bytes), for the edge
// tests and the fuzz test: fetch normalises too much to throw odd requests at a server.
import * as http from 'http';
import * as net from 'net';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Give up (and report status 0) after this long. */
  timeoutMs?: number;
}

export function request(base: string, r: RawRequest): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: r.method ?? 'GET', path: r.path, headers: r.headers, agent: false, timeout: r.timeoutMs ?? 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    // The server may answer and close before it has read a body it refuses: that is an answer.
    req.on('error', () => resolve({ status: 0, headers: {}, body: '' }));
    req.on('timeout', () => req.destroy());
    if (r.body !== undefined) req.write(r.body);
    req.end();
  });
}

/**
 * Bytes straight onto a socket (malformed request lines that http.request would refuse to send);
 * resolves with what came back once the server closes (send `Connection: close`) or at the timeout.
 */
export function rawSocket(base: string, bytes: Buffer | string, timeoutMs = 5000): Promise<string> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    // Not end(): a half-closed socket makes Node's server drop the request before it answers.
    socket.write(bytes);
  });
}
