// The real server in its own process, so a test can kill it like a crash (SIGKILL) and start a
// new one on the same storage. Run as a module it serves; imported it starts and stops children.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

export interface ChildServer {
  url: string;
  proc: ChildProcess;
  /** A crash: no graceful stop, nothing flushed, in-flight requests cut. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
}

const ROOT = path.join(__dirname, '..', '..');

export function startChildServer(env: Record<string, string>): Promise<ChildServer> {
  const proc = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', __filename], {
    cwd: ROOT,
    env: { ...process.env, ...env, CHILD_SERVER_SERVE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /CHILD-SERVER (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') });
      }
    });
    proc.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20000)));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${out}`));
    });
  });
}

async function serve(): Promise<void> {
  const { loadConfig } = await import('../../bot/config');
  const { createServices, startServer } = await import('../../bot/startup');
  const running = await startServer(createServices(loadConfig(process.env)), '127.0.0.1');
  process.stdout.write(`CHILD-SERVER ${running.url}\n`);
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

if (process.env.CHILD_SERVER_SERVE) {
  serve().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
