// An HTTP proxy between the bot and Azurite's table endpoint that can play dead: at once, or
// after letting a number of writes through (to cut a multi-record change in the middle).
import * as http from 'http';
import type { AddressInfo } from 'net';
import { DEV_ACCOUNT, DEV_KEY } from '../../bot/dev/azurite';

export interface FaultProxy {
  port: number;
  /** A connection string whose table endpoint is this proxy (queues go straight to Azurite). */
  connectionString: string;
  /** Every request fails (connection reset) until `heal()`. */
  down(): void;
  /** Lets `n` more writes through, then fails everything until `heal()`. */
  failAfterWrites(n: number): void;
  heal(): void;
  writes(): number;
  stop(): Promise<void>;
}

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'MERGE', 'DELETE']);

export async function startFaultProxy(tablePort: number, queuePort: number): Promise<FaultProxy> {
  let budget = Infinity;
  let writes = 0;
  const sockets = new Set<import('net').Socket>();
  const server = http.createServer((req, res) => {
    const isWrite = WRITE.has(req.method ?? '');
    if (budget <= 0 || (isWrite && budget !== Infinity && budget-- <= 0)) {
      budget = 0;
      req.socket.destroy();
      return;
    }
    if (isWrite) writes++;
    const upstream = http.request({ host: '127.0.0.1', port: tablePort, method: req.method, path: req.url, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
      `TableEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};QueueEndpoint=http://127.0.0.1:${queuePort}/${DEV_ACCOUNT};`,
    down: () => {
      budget = 0;
      for (const s of sockets) s.destroy();
    },
    failAfterWrites: (n) => {
      budget = n;
    },
    heal: () => {
      budget = Infinity;
    },
    writes: () => writes,
    stop: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}
