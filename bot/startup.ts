// Wires configuration, storage, the bot and the server together; used by main and by tests.
import type { AddressInfo } from 'net';
import type { Config } from './config';
import { registerApi } from './api/routes';
import { startCheckinWorkers, Workers } from './checkins/workers';
import { businessItems, useBusinessDir } from './domain/business';
import { getCatalogue, useCatalogueDir } from './domain/ladder';
import { createCalendars } from './graph/graphCalendar';
import { createDirectory } from './graph/graphDirectory';
import { SendBudget } from './services/sendBudget';
import type { Services } from './services/services';
import { JobQueue } from './storage/queue';
import { Store } from './storage/store';
import { createAdapter } from './teams/adapter';
import { createApp } from './teams/app';
import { ConnectorNotifier, ConnectorSender } from './teams/proactive';
import { createServer } from './server';

/** The one composition root: storage, the queue, the Bot Connector (adapter, notices, the dispatcher's sender), the directory (Graph). */
export function createServices(config: Config, now: () => Date = () => new Date()): Services & { adapter: ReturnType<typeof createAdapter> } {
  const store = new Store({ connectionString: config.storageConnectionString, account: config.storageAccount, tablePrefix: config.tablePrefix });
  const adapter = createAdapter(config);
  // The notifier reads contacts through the services it belongs to: set once they exist.
  const svc: Services & { adapter: ReturnType<typeof createAdapter> } = {
    config, store, queue: new JobQueue(config), now, adapter, newSender: () => new ConnectorSender(config), notifier: undefined as never,
    directory: createDirectory(config), budget: new SendBudget({ store }, 1000 / config.sendRatePerSecond),
    calendars: createCalendars(config),
  };
  svc.notifier = new ConnectorNotifier(adapter, svc);
  return svc;
}

export interface RunningServer {
  port: number;
  url: string;
  /** The check-in scheduler and dispatcher of this instance (tests stop or kill them to simulate crashes). */
  workers: Workers;
  stop(): Promise<void>;
}

/**
 * Loads the tutorial catalogue and the business items (the company's edited ones when configured) and checks every
 * language before anything listens: a broken edit stops the start with every problem listed,
 * instead of failing the first person who opens their ladder.
 */
export function loadLadder(config: Pick<Config, 'ladderCatalogueDir'>): void {
  if (config.ladderCatalogueDir) {
    useCatalogueDir(config.ladderCatalogueDir);
    useBusinessDir(config.ladderCatalogueDir);
  }
  getCatalogue('en');
  businessItems('en');
}

export async function startServer(svc: ReturnType<typeof createServices>, host = svc.config.host): Promise<RunningServer> {
  loadLadder(svc.config);
  await svc.store.ensureTables();
  const app = createApp(svc, svc.adapter);
  const server = createServer(svc, svc.adapter, app, registerApi);
  await new Promise<void>((resolve) => server.listen(svc.config.port, host, () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const workers = startCheckinWorkers(svc);
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    workers,
    stop: async () => {
      await workers.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
