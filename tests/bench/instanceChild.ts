// One server instance for the instances benchmark: the real server (scheduler, dispatcher, bot
// endpoint), which reports on stdout what it takes from the queue and what it sends, so the
// benchmark can tell each instance's share and which messages a killed one held. The reports
// are the benchmark's instruments around the queue and sender; nothing in them changes what the
// server does.
import { loadConfig } from '../../bot/config';
import { createServices, startServer } from '../../bot/startup';
import type { Received } from '../../bot/storage/queue';
import { announce, serveIfChild } from '../helpers/childServer';

export const REPORT = '@@';

/** Lines the parent parses: `@@ <event> <id> <ms since epoch>`. */
const report = (event: 'recv' | 'ack' | 'send' | 'sent' | 'started', id: string) => process.stdout.write(`${REPORT} ${event} ${id} ${Date.now()}\n`);

async function serve(): Promise<void> {
  const svc = createServices(loadConfig(process.env));
  const receive = svc.queue.receive.bind(svc.queue);
  svc.queue.receive = async (max, seconds) => {
    const got = await receive(max, seconds);
    for (const m of got) report('recv', m.messageId);
    return got;
  };
  const remove = svc.queue.delete.bind(svc.queue);
  svc.queue.delete = async (m: Received) => {
    const done = await remove(m);
    report('ack', m.messageId);
    return done;
  };
  const newSender = svc.newSender;
  svc.newSender = () => {
    const sender = newSender();
    return {
      close: sender.close?.bind(sender),
      async send(tenantId, serviceUrl, userId, contact, message) {
        report('send', userId);
        const sent = await sender.send(tenantId, serviceUrl, userId, contact, message);
        report('sent', userId);
        return sent;
      },
    };
  };
  // INSTANCE_ON_SIGNAL: loaded (code compiled) but started only on SIGUSR2, as an instance joining
  // on its own machine would, without its start-up competing for this machine's CPU mid-round.
  if (process.env.INSTANCE_ON_SIGNAL) {
    announce('pending');
    await new Promise((resolve) => process.once('SIGUSR2', resolve));
  }
  const running = await startServer(svc, '127.0.0.1');
  if (process.env.INSTANCE_ON_SIGNAL) report('started', running.url);
  else announce(running.url);
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

serveIfChild(module, serve);
