// One of several server instances on one storage account (tests/instances.test.ts, the instances
// benchmark): the real server (scheduler, dispatcher, bot endpoint) in its own process, which
// reports on stdout what it takes from the queue and what it sends, so the parent can tell each
// instance's share and which messages a killed one held. The reports are instruments around the
// queue and the sender; nothing in them changes what the server does.
import { loadConfig } from '../../bot/config';
import { createServices, startServer } from '../../bot/startup';
import type { Received } from '../../bot/storage/queue';
import { announce, ChildServer, serveIfChild, startChildServer } from './childServer';

const REPORT = '@@';

/** Lines the parent parses: `@@ <event> <id> <ms since epoch>`. */
const report = (event: 'recv' | 'ack' | 'send' | 'sent' | 'started', id: string) => process.stdout.write(`${REPORT} ${event} ${id} ${Date.now()}\n`);

/** One server process and what it reported. */
export interface Instance {
  name: string;
  child: ChildServer;
  alive: boolean;
  /** Queue message id -> when this instance received it (each time). */
  received: Map<string, number[]>;
  acked: Set<string>;
  /** Cards this instance saw accepted. */
  sent: number;
  /** Sends started and not yet answered (the ones on the wire). */
  sending: Set<string>;
  /** When a joining instance had started (its server listening, its dispatcher running). */
  startedAt?: number;
}

export async function startInstance(name: string, env: Record<string, string>, onSignal = false): Promise<Instance> {
  const child = await startChildServer(onSignal ? { ...env, INSTANCE_ON_SIGNAL: '1' } : env, { script: __filename });
  const me: Instance = { name, child, alive: true, received: new Map(), acked: new Set(), sent: 0, sending: new Set() };
  let partial = '';
  child.proc.stdout!.on('data', (b: Buffer) => {
    const lines = (partial + b.toString()).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      const [mark, event, id, at] = line.split(' ');
      if (mark !== REPORT) continue;
      if (event === 'recv') me.received.set(id, [...(me.received.get(id) ?? []), Number(at)]);
      else if (event === 'ack') me.acked.add(id);
      else if (event === 'send') me.sending.add(id);
      else if (event === 'sent') (me.sending.delete(id), me.sent++);
      else if (event === 'started') me.startedAt = Number(at);
    }
  });
  return me;
}

/** Queue messages `victim` held: received last by it (no one else since) and finished by no one. */
export function heldBy(victim: Instance, instances: Instance[]): string[] {
  const lastBy = (i: Instance, id: string) => Math.max(-1, ...(i.received.get(id) ?? []));
  return [...victim.received.keys()].filter((id) =>
    !instances.some((i) => i.acked.has(id)) && instances.every((i) => i === victim || lastBy(i, id) < lastBy(victim, id)));
}

/** When another instance than `victim` first received each of these messages after `since` (epoch ms; Infinity: not yet). */
export function takenOver(ids: string[], victim: Instance, instances: Instance[], since: number): number[] {
  return ids.map((id) => Math.min(...instances.filter((i) => i !== victim).flatMap((i) => (i.received.get(id) ?? []).filter((t) => t > since))));
}

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
    // The handler first: a SIGUSR2 before it would end the process. A handler alone does not keep
    // a process alive, hence the timer.
    const signalled = new Promise((resolve) => process.once('SIGUSR2', resolve));
    const alive = setInterval(() => undefined, 60_000);
    announce('pending');
    await signalled;
    clearInterval(alive);
  }
  const running = await startServer(svc, '127.0.0.1');
  if (process.env.INSTANCE_ON_SIGNAL) report('started', running.url);
  else announce(running.url);
  process.once('SIGTERM', () => void running.stop().then(() => process.exit(0)));
}

serveIfChild(module, serve);
