// The HTTP server: bot endpoint, health, the tab's static files and its API. Every route is
// declared through Routes (bot/http/routes.ts), whose gate refuses what a route does not take.
import * as restify from 'restify';
import type { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { Services } from './services/services';
import { answerError } from './http/answer';
import { Routes } from './http/routes';
import { staticFiles } from './http/staticFiles';

/**
 * The shape every Bot Framework activity has. Without it botbuilder throws deep inside (500) or
 * the turn fails half-way; a malformed request is the sender's mistake: 400, nothing runs.
 */
export function badActivity(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The body must be a JSON activity.';
  const a = body as Record<string, unknown>;
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (typeof a.type !== 'string' || !a.type) return 'The activity has no type.';
  if (a.text !== undefined && a.text !== null && typeof a.text !== 'string') return 'The activity text must be a string.';
  if (!isObject(a.conversation) || typeof a.conversation.id !== 'string') return 'The activity has no conversation.';
  if (!isObject(a.from) || typeof a.from.id !== 'string' || !a.from.id) return 'The activity has no sender.';
  if (a.channelData !== undefined && a.channelData !== null && !isObject(a.channelData)) return 'The activity channelData must be an object.';
  return undefined;
}

/** Activities: Teams' own are far below 1 MB; cards nest, but not 64 deep. */
export const ACTIVITY_BODY = { maxBytes: 1024 * 1024, maxDepth: 64 };

export type ApiRegistrar = (routes: Routes, svc: Services) => void;

/**
 * What CloudAdapter writes, caught instead of sent: it would put raw exception text into the
 * answer (and a 500 for a request it could not parse). Success passes through; failures get a
 * fixed answer of ours.
 */
class AdapterAnswer {
  statusCode = 200;
  body: unknown;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  header() {
    return this;
  }
  send(body: unknown) {
    this.body = body;
    return this;
  }
  end() {
    return this;
  }
}

export function createServer(svc: Services, adapter: TeamsAdapter, app: Application, registerApi?: ApiRegistrar): restify.Server {
  const server = restify.createServer({ name: 'reverse-mentor', handleUncaughtExceptions: false });
  const routes = new Routes(server);

  routes.post('/api/messages', ACTIVITY_BODY, async (req, res) => {
    const problem = badActivity(req.body);
    if (problem) return answerError(res, 400, 'bad-activity', problem);
    const answer = new AdapterAnswer();
    await adapter.process(req as never, answer as never, async (context) => {
      await app.run(context);
    });
    const status = answer.statusCode;
    if (status === 401) return answerError(res, 401, 'unauthorized', 'This request is not signed by the Bot Framework for this bot.');
    if (status >= 500) return answerError(res, 500, 'internal', 'Something went wrong on our side. Nothing was changed; please try again.');
    if (status >= 400) return answerError(res, status, 'bad-activity', 'The activity was not accepted.');
    if (answer.body !== undefined && answer.body !== null) res.json(status, answer.body);
    else res.send(status);
  });

  routes.get('/healthz', async (_req, res) => {
    const storage = await svc.store.ping();
    res.json(storage ? 200 : 503, { status: storage ? 'ok' : 'degraded', storage: storage ? 'reachable' : 'unreachable' });
  });

  registerApi?.(routes, svc);

  const serveTab = staticFiles();
  routes.get('/tab', (_req, res) => {
    res.writeHead(301, { Location: '/tab/', 'Cache-Control': 'no-cache' });
    res.end();
  });
  routes.get('/tab/*', (req, res) => serveTab(req, res, req.path().slice('/tab/'.length)));

  return server;
}
