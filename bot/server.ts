// The HTTP server: bot endpoint, health, the tab's static files and its API.
import * as fs from 'fs';
import * as path from 'path';
import * as restify from 'restify';
import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { Application } from '@microsoft/teams-ai';
import type { Services } from './services/services';
import { registerDataRoutes } from './handlers/data';

export function tabDistDir(): string {
  const candidates = [path.join(__dirname, '..', 'tab', 'dist'), path.join(__dirname, '..', '..', 'tab', 'dist')];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[0];
}

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

export type ApiRegistrar = (server: restify.Server, svc: Services) => void;

/** For the routes that take a body (POST): GETs, most of the traffic, skip the body parser. */
export const jsonBody = restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false, rejectUnknown: true });

export function createServer(svc: Services, adapter: TeamsAdapter, app: Application, registerApi?: ApiRegistrar): restify.Server {
  const server = restify.createServer({ name: 'reverse-mentor', handleUncaughtExceptions: false });
  // Query strings as flat strings (a repeated key keeps its last value): no route wants nested
  // objects or arrays, and parsing them costs every request.
  server.use((req, _res, next) => {
    req.query = Object.fromEntries(new URLSearchParams(req.getQuery() ?? ''));
    next();
  });

  server.post('/api/messages', ...jsonBody, async (req, res) => {
    const problem = badActivity(req.body);
    if (problem) {
      res.json(400, { error: 'bad-activity', message: problem });
      return;
    }
    await adapter.process(req as never, res as never, async (context) => {
      await app.run(context);
    });
  });

  server.get('/healthz', async (_req, res) => {
    const storage = await svc.store.ping();
    res.json(storage ? 200 : 503, { status: storage ? 'ok' : 'degraded', storage: storage ? 'reachable' : 'unreachable' });
  });

  registerApi?.(server, svc);
  // Signed, short-lived download links sent by "my data" and "export".
  registerDataRoutes(server, svc);

  const tabDir = tabDistDir();
  server.get('/tab', (_req, res, next) => {
    res.redirect(302, '/tab/index.html', next);
  });
  server.get(
    '/tab/*',
    (_req, res, next) => {
      // Teams shows the tab in an iframe: allow only Teams and Microsoft 365 hosts to frame it.
      res.header(
        'Content-Security-Policy',
        "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.microsoft365.com https://*.cloud.microsoft",
      );
      res.header('X-Content-Type-Options', 'nosniff');
      res.header('Vary', 'Accept-Encoding');
      next();
    },
    // gzip: the build writes precompressed file.gz copies (the bundle is ~4x smaller).
    restify.plugins.serveStatic({ directory: tabDir, appendRequestPath: false, default: 'index.html', gzip: true }),
  );

  return server;
}
