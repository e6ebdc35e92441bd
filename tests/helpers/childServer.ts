// The real server in its own process: a test can kill it like a crash (SIGKILL) and start a new
// one on the same storage, and a benchmark keeps its load generator off the server's event loop.
// Run as a module it serves the app as it is; a benchmark names its own module to serve instead.
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

export interface ChildServer {
  url: string;
  proc: ChildProcess;
  /** A crash: no graceful stop, nothing flushed, in-flight requests cut. */
  kill(): Promise<void>;
  /** Graceful stop (SIGTERM). */
  stop(): Promise<void>;
  /** What the server printed (the last 20,000 characters once it is long). */
  output(): string;
}

export interface ChildOptions {
  /** The module the child runs, which calls `serveIfChild` (default: this one). */
  script?: string;
  /** A folder for a CPU profile of the child (open it in Chrome DevTools). */
  cpuProfDir?: string;
}

const ROOT = path.join(__dirname, '..', '..');
const READY = 'CHILD-SERVER';

export function startChildServer(env: Record<string, string>, opts: ChildOptions = {}): Promise<ChildServer> {
  const prof = opts.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.cpuProfDir}`] : [];
  const proc = spawn(process.execPath, [...prof, '-r', 'ts-node/register/transpile-only', opts.script ?? __filename], {
    cwd: ROOT,
    env: { ...process.env, ...env, CHILD_SERVER_SERVE: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const end = async (signal: NodeJS.Signals) => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    await exited;
  };
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    proc.stdout!.on('data', (b: Buffer) => {
      out = (out + b.toString()).slice(-20000);
      const m = new RegExp(`${READY} (\\S+)`).exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], proc, kill: () => end('SIGKILL'), stop: () => end('SIGTERM'), output: () => out });
      }
    });
    proc.stderr!.on('data', (b: Buffer) => (out = (out + b.toString()).slice(-20000)));
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}): ${out}`));
    });
  });
}

/** Tells the parent where the server listens. */
export function announce(url: string): void {
  process.stdout.write(`${READY} ${url}\n`);
}

/** Serves the app on a free port until SIGTERM, then exits (so --cpu-prof writes its profile). */
export async function serveApp(): Promise<void> {
  const { loadConfig } = await import('../../bot/config');
  const { createServices, startServer } = await import('../../bot/startup');
  const running = await startServer(createServices(loadConfig(process.env)), '127.0.0.1');
  announce(running.url);
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

/** In the child that `startChildServer` started with this module as its script: serve. */
export function serveIfChild(mod: NodeModule, serve: () => Promise<void>): void {
  if (!process.env.CHILD_SERVER_SERVE || require.main !== mod) return;
  serve().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

serveIfChild(module, serveApp);
