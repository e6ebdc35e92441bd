// The HTTP edge, against the real server in its own process (so a request that ends the process
// shows as an exit): odd paths, bodies a route does not take, compressed bodies that inflate past
// the limit, and answers that must never name a server path or carry a stack.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { gzipSync } from 'zlib';
import { ChildServer, startChildServer } from './helpers/childServer';
import { request } from './helpers/rawHttp';
import { connectionString, testPrefix } from './helpers/storage';
import { TENANT } from './helpers/harness';

const ROOT = path.join(__dirname, '..');
/** Nothing an answer says may reveal where the server runs or what failed inside it. */
function expectNothingInternal(body: string): void {
  expect(body).not.toContain(ROOT);
  expect(body).not.toMatch(/ENOENT|EISDIR|\bstat\b|node_modules|at [\w.<>]+ \(|RangeError|TypeError|SyntaxError|\/work\/|\/tmp\//);
}

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer({ AZURE_STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: testPrefix(), PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0' });
});
afterAll(async () => server?.stop());

async function expectAlive(): Promise<void> {
  expect(server.proc.exitCode).toBeNull();
  expect((await request(server.url, { path: '/healthz' })).status).toBe(200);
}

const activity = (text: string) => ({
  type: 'message', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', id: 'x', text,
  from: { id: '29:a', aadObjectId: '00000000-0000-4000-9000-0000000000e1' }, recipient: { id: '28:bot' },
  conversation: { id: 'a:1', conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } },
});

describe('static files', () => {
  it.each([
    '/tab/x%00.js', '/tab/%00', '/tab/index.html%00.js', '/tab/..%2f..%2fpackage.json', '/tab/%2e%2e/%2e%2e/package.json', '/tab/..%5c..%5cpackage.json',
    '/tab/%c0%ae%c0%ae/package.json', '/tab/%', '/tab/%zz', '/tab/%ff', '/tab//etc/passwd', '/tab/./index.html', '/tab/nope.js', '/tab/dist',
  ])('%s gets a plain 4xx that names no server path, and the server lives on', async (p) => {
    const r = await request(server.url, { path: p });
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
    expectNothingInternal(r.body);
    expect(r.body).not.toMatch(/"name":\s*"reverse-mentor"|devDependencies/);
    await expectAlive();
  });

  it('serves /tab/ (the address the README, npm start and the manifest give) and redirects /tab there', async () => {
    const page = await request(server.url, { path: '/tab/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<main id="main"');
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'self' https:\/\/teams\.microsoft\.com/);
    const bare = await request(server.url, { path: '/tab' });
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/tab/');
    const withQuery = await request(server.url, { path: '/tab/index.html?view=ladder' });
    expect(withQuery.status).toBe(200);
  });

  it('sends gzip to browsers that take it, and lets them keep content-hashed chunks', async () => {
    const main = await request(server.url, { path: '/tab/main.js', headers: { 'accept-encoding': 'gzip, br' } });
    expect(main.status).toBe(200);
    expect(main.headers['content-encoding']).toBe('gzip');
    expect(main.headers['cache-control']).toBe('no-cache');
    const chunk = fs.readdirSync(path.join(ROOT, 'tab', 'dist')).find((f) => /^chunk-[A-Z0-9]{8}\.js$/.test(f))!;
    const c = await request(server.url, { path: `/tab/${chunk}` });
    expect(c.headers['cache-control']).toMatch(/immutable/);
    const again = await request(server.url, { path: `/tab/${chunk}`, headers: { 'if-none-match': String(c.headers.etag) } });
    expect(again.status).toBe(304);
  });
});

describe('request bodies', () => {
  /** A small gzip body that inflates to `inflated` bytes of JSON (built a megabyte at a time). */
  const bomb = (inflated: number) => {
    const z = zlib.createGzip({ level: 9 });
    const out: Buffer[] = [];
    z.on('data', (c: Buffer) => out.push(c));
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    z.write('{"type":"message","text":"');
    for (let left = inflated; left > 0; left -= mb.length) z.write(left >= mb.length ? mb : mb.subarray(0, left));
    z.write('"}');
    return new Promise<Buffer>((resolve) => z.end(() => resolve(Buffer.concat(out))));
  };

  it.each(['/api/messages', '/api/progress'])('a 16 KB gzip body inflating to 16 MB on %s is refused with 413 before anything reads it', async (route) => {
    const body = await bomb(16 * 1024 * 1024);
    expect(body.length).toBeLessThan(20 * 1024);
    const r = await request(server.url, { method: 'POST', path: route, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-local-user': 'u', 'x-local-tenant': TENANT }, body });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body).error).toBe('body-too-large');
    await expectAlive();
  });

  it('~560 KB inflating to ~560 MB does not take the server down', async () => {
    const body = await bomb(560 * 1024 * 1024);
    const r = await request(server.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body, timeoutMs: 60_000 });
    expect(r.status).toBe(413);
    await expectAlive();
  });

  it('a plain body over the limit is refused by its Content-Length, and one sent chunked by its size', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 0x20);
    const declared = await request(server.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-length': big.length }, body: big });
    expect(declared.status).toBe(413);
    const chunked = await request(server.url, { method: 'POST', path: '/api/progress', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
    expect([0, 413]).toContain(chunked.status);
    await expectAlive();
  });

  it.each([
    ['multipart/form-data', 'multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n' + 'A'.repeat(100_000) + '\r\n--x--\r\n'],
    ['form-encoded (what any web page can post cross-site)', 'application/x-www-form-urlencoded', 'type=message&text=help&from[id]=x&conversation[id]=y'],
    ['text/plain (also sent cross-site without a preflight)', 'text/plain', JSON.stringify(activity('help'))],
    ['no content type', '', JSON.stringify(activity('help'))],
    ['JSON in another charset', 'application/json; charset=utf-16', JSON.stringify(activity('help'))],
    ['a JSON look-alike type', 'application/jsonx', JSON.stringify(activity('help'))],
  ])('%s is refused with 415 on both body routes, and nothing is written to disk', async (_what, type, body) => {
    const tmp = new Set(fs.readdirSync(os.tmpdir()));
    for (const route of ['/api/messages', '/api/progress']) {
      const r = await request(server.url, { method: 'POST', path: route, headers: type ? { 'content-type': type } : {}, body });
      expect(r.status).toBe(415);
      expectNothingInternal(r.body);
    }
    const added = fs.readdirSync(os.tmpdir()).filter((f) => !tmp.has(f) && !f.startsWith('jest'));
    expect(added.filter((f) => /^upload_|^[0-9a-f]{32}$/.test(f))).toEqual([]);
    await expectAlive();
  });

  it('an encoding other than gzip or deflate is refused with 415', async () => {
    const r = await request(server.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: 'x' });
    expect(r.status).toBe(415);
  });

  it('very deeply nested JSON is refused with 400 before the handler, not a RangeError inside it', async () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const r = await request(server.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: deep });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error).toBe('too-deep');
    const nested = JSON.stringify({ ...activity('help'), value: JSON.parse('{"a":'.repeat(100) + '1' + '}'.repeat(100)) });
    const r2 = await request(server.url, { method: 'POST', path: '/api/messages', headers: { 'content-type': 'application/json' }, body: nested });
    expect(r2.status).toBe(400);
    expectNothingInternal(r2.body);
    await expectAlive();
  });

  it('gzip that is not gzip, invalid JSON and an empty body get a clear 400', async () => {
    for (const [headers, body] of [
      [{ 'content-type': 'application/json', 'content-encoding': 'gzip' }, 'not gzip at all'],
      [{ 'content-type': 'application/json' }, '{"type": "message",'],
      [{ 'content-type': 'application/json' }, ''],
    ] as const) {
      const r = await request(server.url, { method: 'POST', path: '/api/messages', headers, body });
      expect(r.status).toBe(400);
      expect(JSON.parse(r.body)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
      expectNothingInternal(r.body);
    }
  });

  it('a gzip body within the limit is read like a plain one', async () => {
    const r = await request(server.url, {
      method: 'POST', path: '/api/progress', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'x-local-user': 'u1', 'x-local-tenant': TENANT },
      body: gzipSync(JSON.stringify({ programme: 'no-such', tutorialId: 'l1-profile', status: 'done' })),
    });
    // Read and understood: the programme does not exist.
    expect(r.status).toBe(404);
  });
});

describe('methods and routes', () => {
  it.each([
    ['PUT', '/api/messages', 405], ['DELETE', '/api/progress', 405], ['GET', '/api/messages', 405], ['OPTIONS', '/api/me', 405],
    ['POST', '/healthz', 405], ['PATCH', '/tab/index.html', 405], ['TRACE', '/', 404], ['GET', '/nothing-here', 404], ['GET', '/api', 404],
    ['GET', '/api/downloads/x.y', 404], ['GET', '/healthz/', 404],
  ])('%s %s -> %d, with a JSON reason', async (method, p, status) => {
    const r = await request(server.url, { method, path: p });
    expect(r.status).toBe(status);
    if (r.body) expect(JSON.parse(r.body)).toMatchObject({ error: expect.any(String) });
    if (status === 405) expect(r.headers.allow).toBeTruthy();
  });

  it('a GET with a body is refused: no route that reads nothing takes one', async () => {
    const r = await request(server.url, { method: 'GET', path: '/api/me', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(400);
  });

  it('malformed percent-encoding and control characters in API paths get 400', async () => {
    for (const p of ['/api/mentees/%/ladder', '/api/mentees/%00/ladder', '/api/programmes/%e0%a4%a/dashboard']) {
      const r = await request(server.url, { path: p, headers: { 'x-local-user': 'u', 'x-local-tenant': TENANT } });
      expect(r.status).toBe(400);
    }
    await expectAlive();
  });
});
