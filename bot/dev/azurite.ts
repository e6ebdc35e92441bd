// Starts the real Azure Storage emulator (Table + Queue) as a child process.
// Used by `npm start` (data kept in a folder), by the tests and by the benchmarks.
import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import * as path from 'path';

export const DEV_ACCOUNT = 'devstoreaccount1';
export const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteHandle {
  connectionString: string;
  tablePort: number;
  queuePort: number;
  stop(): Promise<void>;
}

export function connectionStringFor(tablePort: number, queuePort: number, host = '127.0.0.1'): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `TableEndpoint=http://${host}:${tablePort}/${DEV_ACCOUNT};QueueEndpoint=http://${host}:${queuePort}/${DEV_ACCOUNT};`
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function azuriteMain(service: 'table' | 'queue'): string {
  return path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', service, 'main.js');
}

function startService(service: 'table' | 'queue', port: number, location?: string): Promise<ChildProcess> {
  const args = [
    azuriteMain(service),
    `--${service}Host`, '127.0.0.1',
    `--${service}Port`, String(port),
    '--disableTelemetry',
    '--skipApiVersionCheck',
    ...(location ? ['--location', location] : ['--inMemoryPersistence']),
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`Azurite ${service} did not start: ${out}`)), 20000);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (/successfully (started|listen)/i.test(out)) {
        clearTimeout(timer);
        child.stdout?.removeListener('data', onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite ${service} exited (${code}): ${out}`));
    });
  });
}

/** Starts Table and Queue services. `location` keeps data on disk; without it data lives in memory. */
export async function startAzurite(opts: { location?: string; tablePort?: number; queuePort?: number } = {}): Promise<AzuriteHandle> {
  const tablePort = opts.tablePort ?? (await freePort());
  const queuePort = opts.queuePort ?? (await freePort());
  const children = await Promise.all([
    startService('table', tablePort, opts.location),
    startService('queue', queuePort, opts.location),
  ]);
  return {
    connectionString: connectionStringFor(tablePort, queuePort),
    tablePort,
    queuePort,
    stop: async () => {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.exitCode !== null) return resolve();
              c.removeAllListeners('exit');
              // With data on disk, SIGINT lets Azurite save its database (it autosaves only every
              // 5 s; SIGTERM would lose the last writes). It may linger after closing: then SIGKILL.
              const timer = opts.location ? setTimeout(() => c.kill('SIGKILL'), 5000) : undefined;
              c.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              c.kill(opts.location ? 'SIGINT' : 'SIGTERM');
            }),
        ),
      );
    },
  };
}
