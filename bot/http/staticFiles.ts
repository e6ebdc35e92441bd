// The tab's built files, served from memory. The build's output is read once at start, so a
// request's path is only ever a key into that map: no file system call sees it, and a path that
// is not a built file (NUL bytes, encoded traversal, odd names) is a plain 404 naming nothing.
import { createHash } from 'crypto';
import * as fs from 'fs';
import type { IncomingMessage, ServerResponse } from 'http';
import * as path from 'path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Teams shows the tab in an iframe: allow only Teams and Microsoft 365 hosts to frame it. */
const FRAME_ANCESTORS =
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.office.com https://*.microsoft365.com https://*.cloud.microsoft";

interface StaticFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  etag: string;
  /** Content-hashed names (esbuild's `name-HASH.js`) never change: the browser keeps them. */
  immutable: boolean;
}

export function tabDistDir(): string {
  const candidates = [path.join(__dirname, '..', '..', 'tab', 'dist'), path.join(__dirname, '..', '..', '..', 'tab', 'dist')];
  return candidates.find((d) => fs.existsSync(d)) ?? candidates[0];
}

function load(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(name);
      else if (!name.endsWith('.gz')) {
        const body = fs.readFileSync(path.join(dir, name));
        const gz = path.join(dir, `${name}.gz`);
        files.set(name, {
          body,
          gzip: fs.existsSync(gz) ? fs.readFileSync(gz) : undefined,
          type: TYPES[path.extname(name).toLowerCase()] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
          immutable: /-[A-Z0-9]{8}\.(js|css)$/.test(name),
        });
      }
    }
  };
  if (fs.existsSync(dir)) walk('');
  return files;
}

export type StaticHandler = (req: IncomingMessage, res: ServerResponse, file: string) => void;

/** Serves `file` (a path below the tab's folder, '' = index.html) from the files built into `dir`. */
export function staticFiles(dir = tabDistDir()): StaticHandler {
  const files = load(dir);
  return (req, res, file) => {
    let name: string;
    try {
      name = decodeURIComponent(file || 'index.html');
    } catch {
      name = '';
    }
    const found = files.get(name);
    const common = { 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': FRAME_ANCESTORS, Vary: 'Accept-Encoding' };
    if (!found) {
      const body = files.size ? 'Not found.\n' : 'The tab is not built: run npm run build:tab.\n';
      res.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    const headers: Record<string, string | number> = {
      ...common,
      'Content-Type': found.type,
      ETag: found.etag,
      // Unhashed names (pages, main.js) are checked with the server each time: a deploy shows at once.
      'Cache-Control': found.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    };
    if (req.headers['if-none-match'] === found.etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const gzip = !!found.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? found.gzip! : found.body;
    res.writeHead(200, { ...headers, ...(gzip ? { 'Content-Encoding': 'gzip' } : {}), 'Content-Length': body.length });
    res.end(body);
  };
}
