// Starts the server: configuration, storage, the bot, the tab and the check-in workers.
import { ConfigError, loadConfig } from './config';
import { createServices, startServer } from './startup';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const svc = createServices(config);
  const running = await startServer(svc);
  console.log(`Reverse Mentor listening on http://127.0.0.1:${running.port} (bot: /api/messages, tab: /tab/, health: /healthz)`);
  const stop = async () => {
    await running.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`Reverse Mentor failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
