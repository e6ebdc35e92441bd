// `npm start`: everything locally with no Azure account. Without a storage configuration it
// starts Azurite (data kept in .azurite/), then the server, then the Microsoft 365 Agents
// Playground pointed at the bot, and prints the URLs. Ctrl-C stops all of it.
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig } from '../config';
import { createServices, startServer } from '../startup';
import { AzuriteHandle, freePort, startAzurite } from './azurite';

const root = path.resolve(__dirname, '..', '..');
/** The Playground's signed-in user (see .m365agentsplayground.yml): admin locally. */
export const PLAYGROUND_USER = 'a1e70000-0000-4000-8000-000000000020';

/** Reads KEY=VALUE lines from .env (written by the Toolkit for local debugging), if present. */
function loadDotEnv(file: string): void {
  if (!fs.existsSync(file)) return;
  for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (m && process.env[m[1]] === undefined) process.env[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
  }
}

async function portFree(port: number): Promise<boolean> {
  const net = await import('net');
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function startPlayground(botPort: number, port: number): ChildProcess {
  const cli = path.join(path.dirname(require.resolve('@microsoft/m365agentsplayground/package.json')), 'cli.js');
  return spawn(
    process.execPath,
    [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'],
    { cwd: root, env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' }, stdio: ['ignore', 'ignore', 'inherit'] },
  );
}

async function main(): Promise<void> {
  loadDotEnv(path.join(root, '.env'));
  let azurite: AzuriteHandle | undefined;
  if (!process.env.AZURE_STORAGE_CONNECTION_STRING && !process.env.AZURE_STORAGE_ACCOUNT) {
    const location = path.join(root, '.azurite');
    fs.mkdirSync(location, { recursive: true });
    // The emulator's usual ports when free, so Storage Explorer finds it; any free port otherwise.
    const tablePort = (await portFree(10002)) ? 10002 : await freePort();
    const queuePort = (await portFree(10001)) ? 10001 : await freePort();
    azurite = await startAzurite({ location, tablePort, queuePort });
    process.env.AZURE_STORAGE_CONNECTION_STRING = azurite.connectionString;
    console.log(`Azurite (Table :${azurite.tablePort}, Queue :${azurite.queuePort}) keeping data in ${location}`);
  } else {
    console.log('Using the configured Azure Storage account (no Azurite started).');
  }
  if (process.env.BOT_ADMINS === undefined && !process.env.MicrosoftAppId) {
    process.env.BOT_ADMINS = PLAYGROUND_USER;
    console.log('BOT_ADMINS not set: the Playground user Alex Wilber is admin locally.');
  }
  if (process.env.SCHEDULER_INTERVAL_SECONDS === undefined) process.env.SCHEDULER_INTERVAL_SECONDS = '60';

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    await azurite?.stop();
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const svc = createServices(config);
  const server = await startServer(svc);
  const playgroundPort = (await portFree(56150)) ? 56150 : await freePort();
  const playground = config.appId ? undefined : startPlayground(server.port, playgroundPort);

  console.log('');
  console.log(`  Bot endpoint     http://127.0.0.1:${server.port}/api/messages`);
  console.log(`  Tab              http://127.0.0.1:${server.port}/tab/`);
  console.log(`  Health           http://127.0.0.1:${server.port}/healthz`);
  if (playground) console.log(`  Agents Playground http://127.0.0.1:${playgroundPort}  (type "help")`);
  else console.log('  MicrosoftAppId is set: the Playground is not started (it sends unauthenticated activities).');
  console.log('\nPress Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    playground?.kill('SIGTERM');
    await server.stop().catch(() => undefined);
    await azurite?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  playground?.on('exit', (code) => {
    if (!stopping) console.error(`The Agents Playground exited (${code}); the bot keeps running.`);
  });
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
