// `npm start`: everything locally with no Azure account. Without a storage configuration it
// starts Azurite (data kept in .azurite/), without GRAPH_BASE_URL (and no bot app) the Graph
// stand-in seeded with the Playground's people, then the server, then the Microsoft 365 Agents
// Playground pointed at the bot, and prints the URLs. Ctrl-C stops all of it.
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, loadConfig } from '../config';
import { createServices, startServer } from '../startup';
import { AzuriteHandle, freePort, startAzurite } from './azurite';
import { LOCAL_DATA_DIR } from './reset';
import { GraphStandIn, playgroundDirectory } from './graphStandIn';
import { PLAYGROUND_DEFAULT_PORT, PLAYGROUND_USER, PlaygroundHandle, playgroundConfigAs, REPO_ROOT, startPlayground } from './playground';

const root = REPO_ROOT;
export { PLAYGROUND_USER };

async function portFree(port: number): Promise<boolean> {
  const net = await import('net');
  return new Promise((resolve) => {
    const s = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * The Playground signs in one user (Alex Wilber). PLAYGROUND_USERS="Megan Bowen,Adele Vance"
 * starts one more Playground per named user of .m365agentsplayground.yml, to act as them.
 */
async function startPlaygrounds(botPort: number): Promise<Array<{ user: string; handle: PlaygroundHandle }>> {
  const botEndpoint = `http://127.0.0.1:${botPort}/api/messages`;
  const port = (await portFree(PLAYGROUND_DEFAULT_PORT)) ? PLAYGROUND_DEFAULT_PORT : await freePort();
  const started = [{ user: 'Alex Wilber', handle: await startPlayground({ botEndpoint, port, stderr: 'inherit' }) }];
  const others = (process.env.PLAYGROUND_USERS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const user of others) {
    const slug = user.toLowerCase().replace(/\W+/g, '-');
    const dir = path.join(root, 'devTools');
    fs.mkdirSync(dir, { recursive: true });
    const configFile = path.join(dir, `${slug}.m365agentsplayground.yml`);
    fs.writeFileSync(configFile, playgroundConfigAs(user));
    const handle = await startPlayground({ botEndpoint, port: await freePort(), configFile, logFile: path.join(dir, `${slug}.log`), stderr: 'inherit' });
    started.push({ user, handle });
  }
  return started;
}

async function main(): Promise<void> {
  // .env (written by the Toolkit for local debugging), if present; variables already set win.
  const dotEnv = path.join(root, '.env');
  if (fs.existsSync(dotEnv)) process.loadEnvFile(dotEnv);
  let azurite: AzuriteHandle | undefined;
  if (!process.env.AZURE_STORAGE_CONNECTION_STRING && !process.env.AZURE_STORAGE_ACCOUNT) {
    const location = LOCAL_DATA_DIR;
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
  // The directory: Microsoft Graph cannot run here, so the project's own stand-in, seeded with the
  // Playground's users, their departments and managers (a configured bot app uses real Graph).
  let graph: GraphStandIn | undefined;
  if (!process.env.GRAPH_BASE_URL && !process.env.MicrosoftAppId) {
    graph = new GraphStandIn(playgroundDirectory());
    process.env.GRAPH_BASE_URL = await graph.start();
    console.log(`Graph stand-in ${process.env.GRAPH_BASE_URL} (the Playground's people: departments, managers, groups)`);
  }

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    await azurite?.stop();
    await graph?.stop();
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const svc = createServices(config);
  // A broken edited ladder (LADDER_CATALOGUE_DIR) stops the start here: leave no Azurite behind.
  const server = await startServer(svc).catch(async (err: unknown) => {
    await azurite?.stop();
    await graph?.stop();
    throw err;
  });
  let playgrounds: Array<{ user: string; handle: PlaygroundHandle }> = [];
  if (!config.appId) {
    try {
      playgrounds = await startPlaygrounds(server.port);
    } catch (err) {
      console.error(`The Agents Playground did not start (${err instanceof Error ? err.message : String(err)}); the bot keeps running.`);
    }
  }

  console.log('');
  console.log(`  Bot endpoint     http://127.0.0.1:${server.port}/api/messages`);
  console.log(`  Tab              http://127.0.0.1:${server.port}/tab/`);
  console.log(`  Health           http://127.0.0.1:${server.port}/healthz`);
  if (graph) console.log(`  Graph stand-in   ${graph.url}  (Entra ID for the Playground's people; try "enrol group digital champions as mentor")`);
  for (const { user, handle } of playgrounds) {
    console.log(`  Agents Playground http://127.0.0.1:${handle.port}  as ${user}${user === 'Alex Wilber' ? ' (admin; type "help")' : ''}`);
  }
  if (config.appId) console.log('  MicrosoftAppId is set: the Playground is not started (it sends unauthenticated activities).');
  console.log('\nPress Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping...');
    await Promise.all(playgrounds.map((p) => p.handle.stop()));
    await server.stop().catch(() => undefined);
    await graph?.stop();
    await azurite?.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const { user, handle } of playgrounds) {
    handle.child.on('exit', (code) => {
      if (!stopping) console.error(`The Agents Playground (${user}) exited (${code}); the bot keeps running.`);
    });
  }
}

main().catch((err) => {
  console.error(`npm start failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
