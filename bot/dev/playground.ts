// Starts the Microsoft 365 Agents Playground (a local Teams-like chat client) pointed at the
// bot. Used by `npm start` (bot/dev/start.ts) and by the end-to-end test
// (tests/playground.e2e.test.ts). Flags and pitfalls: docs/DEPLOY.md, "Local run".
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
/** The context the Playground gives the bot: tenant, users (GUIDs), chats, a team. */
export const PLAYGROUND_CONFIG = path.join(REPO_ROOT, '.m365agentsplayground.yml');
/** The Playground's signed-in user (currentUser in .m365agentsplayground.yml): admin locally. */
export const PLAYGROUND_USER = 'a1e70000-0000-4000-8000-000000000020';
export const PLAYGROUND_DEFAULT_PORT = 56150;

export interface PlaygroundOptions {
  /** The bot's messaging endpoint, e.g. http://127.0.0.1:3978/api/messages. */
  botEndpoint: string;
  /** Preferred port; the Playground itself falls back to a random one when it is taken. */
  port?: number;
  /** Config file (default .m365agentsplayground.yml); see playgroundConfigAs for other users. */
  configFile?: string;
  /** Where the Playground writes its own log (default ./devTools/m365agentsplayground.log). */
  logFile?: string;
  /** Its stderr goes to ours ('inherit', for npm start) or nowhere ('ignore', the default). */
  stderr?: 'inherit' | 'ignore';
  /** How long to wait for it to listen. */
  timeoutMs?: number;
}

export interface PlaygroundHandle {
  /** The port it really listens on (read from its output). */
  port: number;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

function cliPath(): string {
  return path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
}

/**
 * Spawns the Playground and resolves once it listens. TEAMSAPPTESTER_BROWSER=none keeps it
 * from opening a browser (without it, it fails and exits 1 on a machine with none).
 */
export function startPlayground(opts: PlaygroundOptions): Promise<PlaygroundHandle> {
  const env: NodeJS.ProcessEnv = { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' };
  if (opts.configFile) env.M365_AGENTS_PLAYGROUND_CONFIG_PATH = opts.configFile;
  if (opts.logFile) env.M365_AGENTS_PLAYGROUND_LOGFILE = opts.logFile;
  // Loopback only: local mode is for this machine (the Playground has no host option of its own).
  const args = ['-r', path.join(__dirname, 'loopbackOnly.js'), cliPath(), '-e', opts.botEndpoint, '-c', 'msteams', '-p', String(opts.port ?? PLAYGROUND_DEFAULT_PORT), '--disable-telemetry'];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', opts.stderr ?? 'ignore'] });
  // Never outlive the process that started it (a crashed test run, a killed npm start).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`The Agents Playground did not start within ${opts.timeoutMs ?? 30000} ms: ${out.trim()}`));
    }, opts.timeoutMs ?? 30000);
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = /Listening on (\d+)/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.removeListener('data', onData);
      child.stdout?.resume();
      child.removeListener('exit', onExit);
      const port = Number(m[1]);
      resolve({ port, url: `http://127.0.0.1:${port}`, child, stop });
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`The Agents Playground exited (${code}) before it listened: ${out.trim()}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** One user as the Playground config lists them (flat `key: value` lines). */
type UserFields = Array<[string, string]>;

/**
 * The Playground signs in one fixed user (currentUser) and cannot switch. To act as another
 * configured user, run a second Playground with this config: the same tenant, team and
 * users, with `name` (a user from `users:`) as currentUser and their own 1:1 chat id.
 */
export function playgroundConfigAs(name: string, source = fs.readFileSync(PLAYGROUND_CONFIG, 'utf8')): string {
  const lines = source.split(/\r?\n/);
  const field = (line: string) => /^\s*(?:-\s+)?([A-Za-z]+):\s*(.*)$/.exec(line);
  // currentUser: a mapping indented by two spaces.
  const cuStart = lines.findIndex((l) => /^currentUser:\s*$/.test(l));
  if (cuStart < 0) throw new Error('no currentUser in the Playground config');
  let cuEnd = cuStart + 1;
  while (cuEnd < lines.length && /^ {2}\S/.test(lines[cuEnd])) cuEnd++;
  const current: UserFields = lines.slice(cuStart + 1, cuEnd).map((l) => field(l)!).map((m) => [m[1], m[2]]);
  // users: a list of mappings ("  - id: ..." then "    key: value").
  const usStart = lines.findIndex((l) => /^users:\s*$/.test(l));
  if (usStart < 0) throw new Error('no users in the Playground config');
  let usEnd = usStart + 1;
  const users: UserFields[] = [];
  while (usEnd < lines.length && /^ {2}/.test(lines[usEnd])) {
    const m = field(lines[usEnd])!;
    if (/^ {2}-/.test(lines[usEnd])) users.push([]);
    users[users.length - 1].push([m[1], m[2]]);
    usEnd++;
  }
  const valueOf = (u: UserFields, k: string) => u.find(([key]) => key === k)?.[1].replace(/^(['"])(.*)\1$/, '$2');
  const i = users.findIndex((u) => valueOf(u, 'name') === name);
  if (i < 0) throw new Error(`no user named ${name} in the Playground config`);
  const me = users[i];
  const others = [...users.slice(0, i), current, ...users.slice(i + 1)];
  const userId = valueOf(me, 'id') ?? String(i);
  const out = [
    ...lines.slice(0, cuStart),
    'currentUser:',
    ...me.map(([k, v]) => `  ${k}: ${v}`),
    ...lines.slice(cuEnd, usStart),
    'users:',
    ...others.flatMap((u) => u.map(([k, v], j) => `${j === 0 ? '  - ' : '    '}${k}: ${v}`)),
    ...lines.slice(usEnd),
  ];
  // Each person has their own 1:1 chat with the bot, as in Teams.
  const pc = out.findIndex((l) => /^personalChat:\s*$/.test(l));
  if (pc >= 0 && /^ {2}id:/.test(out[pc + 1] ?? '')) out[pc + 1] = `  id: personal-chat-${userId}`;
  return out.join('\n');
}
