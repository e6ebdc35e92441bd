// Every route the server has, with what each accepts. The gate runs first on every request, before
// restify routes it or anything reads its body: a path, method, content type, encoding or size a
// route does not take is refused here with a 4xx, and nothing behind it runs.
import type { IncomingMessage, ServerResponse } from 'http';
import type { Request, Response, Server } from 'restify';
import { answerError } from './answer';
import { BODY_ENCODINGS, BodyError, BodyLimits, readJson } from './body';

export type RouteHandler = (req: Request, res: Response) => Promise<void> | void;
type Method = 'GET' | 'POST';

interface Route {
  method: Method;
  pattern: string;
  regex: RegExp;
  body?: BodyLimits;
}

const MAX_URL = 4096;
/** Control characters and backslashes never belong in a path, raw or decoded (NUL crashed fs.stat). */
const BAD_PATH_CHARS = /[\u0000-\u001f\u007f\\]/;
/**
 * restify 12 routes by WHATWG `new URL('http://' + Host + path)`. A Host it cannot parse ("a b",
 * "h:99999", "1.2.3.256", "[v1.x]", "a|b", non-ASCII) threw there, outside any handler, and ended
 * the process; "/", "\\", "?" or "#" in the Host moved the path ("Host: a/b" routed /healthz as
 * /b/healthz), "@" made a user name of it. So: a name or an IPv4 or [IPv6] address, then an optional port (RFC 9110 7.2), that
 * URL accepts.
 */
const HOST = /^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/**
 * A "." or ".." segment, raw or percent-encoded: URL resolves them, so restify 12 would route
 * another path than the one checked here (/tab/./x as /tab/x, /tab/%2e%2e/x as /x). Browsers never
 * send them.
 */
const DOT_SEGMENT = /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i;

/**
 * No Host (HTTP/1.0; Node itself answers 400 to HTTP/1.1 without one) or an empty one is fine:
 * restify 12 then uses "localhost".
 */
export function validHost(host: string | undefined): boolean {
  return !host || (HOST.test(host) && URL.canParse(`http://${host}/`));
}

/** `/api/mentees/:userId/ladder` or `/tab/*` as a regular expression over the raw (encoded) path. */
function compile(pattern: string): RegExp {
  const parts = pattern.split('/').map((s) => (s === '*' ? '.*' : s.startsWith(':') ? '[^/]+' : s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${parts.join('/')}$`);
}

/** `application/json`, optionally `; charset=utf-8`, and nothing else. */
function isJsonType(header: string | undefined): boolean {
  const [type, ...params] = String(header ?? '').split(';').map((s) => s.trim().toLowerCase());
  if (type !== 'application/json') return false;
  return params.every((p) => p === '' || p === 'charset=utf-8' || p === 'charset="utf-8"');
}

export class Routes {
  private readonly routes: Route[] = [];

  constructor(private readonly server: Server) {
    // restify's `first` handlers run before it sets anything up (its typings lack it).
    (server as Server & { first(fn: (req: IncomingMessage, res: ServerResponse) => boolean): void }).first((req, res) => this.gate(req, res));
  }

  get(pattern: string, handler: RouteHandler): void {
    this.add({ method: 'GET', pattern, regex: compile(pattern) }, handler);
  }

  /** A POST route whose JSON body is read (within `body`'s limits) into `req.body` before `handler` runs. */
  post(pattern: string, body: BodyLimits, handler: RouteHandler): void {
    this.add({ method: 'POST', pattern, regex: compile(pattern), body }, handler);
  }

  private add(route: Route, handler: RouteHandler): void {
    this.routes.push(route);
    const run = async (req: Request, res: Response) => {
      // Query strings as flat strings (a repeated key keeps its last value): no route wants
      // nested objects or arrays.
      req.query = Object.fromEntries(new URLSearchParams(req.getQuery() ?? ''));
      try {
        if (route.body) req.body = await readJson(req, route.body);
        await handler(req, res);
      } catch (err) {
        if (err instanceof BodyError) return answerError(res, err.status, err.code, err.message, {}, true);
        // The request's own failure was answered by the handler; this is ours. Its name only:
        // messages may carry people's words.
        console.error(`[http] ${route.method} ${route.pattern} failed: ${(err as Error)?.name ?? typeof err}`);
        answerError(res, 500, 'internal', 'Something went wrong on our side. Please try again.');
      }
    };
    if (route.method === 'GET') this.server.get(route.pattern, run);
    else this.server.post(route.pattern, run);
  }

  /** True lets the request through to restify; false means it was answered here. */
  private gate(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    if (url.length > MAX_URL) return refuse(res, 414, 'uri-too-long', 'The address is too long.');
    if (!validHost(req.headers.host)) return refuse(res, 400, 'bad-host', 'The Host header is not valid.');
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return refuse(res, 400, 'bad-path', 'The address is not valid.');
    }
    if (!path.startsWith('/') || DOT_SEGMENT.test(path) || BAD_PATH_CHARS.test(path) || BAD_PATH_CHARS.test(decoded)) {
      return refuse(res, 400, 'bad-path', 'The address is not valid.');
    }
    const candidates = this.routes.filter((r) => r.regex.test(path));
    if (!candidates.length) return refuse(res, 404, 'not-found', 'There is nothing here.');
    const route = candidates.find((r) => r.method === req.method);
    if (!route) {
      const allow = [...new Set(candidates.map((r) => r.method))].join(', ');
      return refuse(res, 405, 'method-not-allowed', `This address takes ${allow} only.`, { Allow: allow });
    }
    const length = req.headers['content-length'];
    const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
    if (!route.body) return hasBody ? refuse(res, 400, 'unexpected-body', 'This address takes no request body.') : true;
    if (!isJsonType(req.headers['content-type'])) return refuse(res, 415, 'unsupported-media-type', 'The body must be JSON (Content-Type: application/json).');
    if (!BODY_ENCODINGS.has(String(req.headers['content-encoding'] ?? '').trim().toLowerCase())) {
      return refuse(res, 415, 'unsupported-encoding', 'The body may be sent plain, gzip or deflate only.');
    }
    if (length !== undefined && !(Number(length) <= route.body.maxBytes)) {
      return refuse(res, 413, 'body-too-large', `The request body is larger than ${Math.round(route.body.maxBytes / 1024)} KB.`);
    }
    return true;
  }
}

/** Answers and closes the connection when a body may be on its way that nobody will read. */
function refuse(res: ServerResponse, status: number, error: string, message: string, extra: Record<string, string> = {}): false {
  const req = (res as ServerResponse & { req?: IncomingMessage }).req;
  const unread = !!req && (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined);
  answerError(res, status, error, message, extra, unread);
  return false;
}
