// A bounded fuzz of the HTTP edge: thousands of random paths, methods, headers, encodings and
// bodies against every route of the real server in its own process, once authenticated (both
// Entra apps, real token checks) and once in local mode. Whatever arrives: no 5xx, no server path,
// stack or exception text in any answer, the process alive and /healthz 200 afterwards, and not
// one row of storage changed. The seed is printed, and FUZZ_SEED=<n> replays a run.
import * as http from 'http';
import * as path from 'path';
import { gzipSync, deflateSync } from 'zlib';
import { catalogueVersion } from '../bot/domain/ladder';
import { Store } from '../bot/storage/store';
import { startBotTokenIssuer, BOT_APP_ID, BotTokenIssuer } from './helpers/botTokens';
import { ChildServer, startChildServer } from './helpers/childServer';
import { TENANT } from './helpers/harness';
import { rawSocket } from './helpers/rawHttp';
import { diff, snapshot } from './helpers/snapshot';
import { startSso, SsoStandIn } from './helpers/sso';
import { connectionString, testPrefix } from './helpers/storage';
import { seedWorld, PROGRAMME_ID } from './helpers/tabSeed';

const ROOT = path.join(__dirname, '..');
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
const REQUESTS_AUTH = Number(process.env.FUZZ_N ?? 3000);
const REQUESTS_LOCAL = Number(process.env.FUZZ_N ?? 1500);
const CONCURRENCY = 8;

/** mulberry32: small, fast, seedable. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const chance = (p: number) => next() < p;
  return { next, int, pick, chance };
}
type Rng = ReturnType<typeof prng>;

const ROUTES = [
  ['POST', '/api/messages'], ['GET', '/healthz'], ['GET', '/api/config'], ['GET', '/api/local/users'], ['GET', '/api/me'], ['GET', '/api/me/ladder'],
  ['GET', '/api/me/data'], ['GET', '/api/mentees/:id/ladder'], ['POST', '/api/progress'], ['GET', '/api/programmes'], ['GET', '/api/programmes/:id'],
  ['GET', '/api/programmes/:id/knowledge-map'], ['GET', '/api/programmes/:id/dashboard'], ['GET', '/api/programmes/:id/export.csv'], ['GET', '/tab'], ['GET', '/tab/*'],
  ['GET', '/api/catalogue/:version/:locale'],
] as const;

const NASTY = ['%00', '%2e%2e', '..', '%2f', '%5c', '%', '%zz', '%c0%af', '%ff%fe', "'", '"', '<script>', '${x}', '\u00e9', '%F0%9F%98%80', 'a'.repeat(300), '~', '*', '?', '#', ';', '%0d%0a'];
const TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=zz', 'application/xml', 'application/octet-stream', 'Application/JSON', 'application/json;;', 'json', '',
];
const ENCODINGS = ['', 'gzip', 'deflate', 'br', 'identity', 'gzip, gzip', 'x-gzip', 'compress', 'GZIP'];

function segment(r: Rng): string {
  if (r.chance(0.3)) return r.pick(NASTY);
  const alphabet = 'abcxyz0129-_.:@';
  return Array.from({ length: 1 + r.int(12) }, () => alphabet[r.int(alphabet.length)]).join('');
}

function pathFor(r: Rng): string {
  if (r.chance(0.15)) return '/' + Array.from({ length: 1 + r.int(5) }, () => segment(r)).join('/');
  const [, p] = r.pick(ROUTES);
  let out = p
    .replace(/:version/g, () => (r.chance(0.4) ? catalogueVersion() : segment(r)))
    .replace(/:locale/g, () => (r.chance(0.5) ? r.pick(['en', 'de', 'nl']) : segment(r)))
    .replace(/:id/g, () => (r.chance(0.4) ? PROGRAMME_ID : segment(r))).replace('*', () => (r.chance(0.3) ? r.pick(['index.html', 'main.js', 'styles.css', '']) : segment(r)));
  if (r.chance(0.1)) out += '/';
  if (r.chance(0.4)) {
    const q = Array.from({ length: 1 + r.int(4) }, () => `${r.pick(['programme', 'locale', 'user', 'tenant', 'x', 'programme[a]', ''])}=${r.chance(0.5) ? PROGRAMME_ID : segment(r)}`);
    out += '?' + q.join('&');
  }
  return out;
}

function jsonValue(r: Rng, depth = 0): unknown {
  const k = r.int(depth > 3 ? 5 : 8);
  if (k === 0) return null;
  if (k === 1) return r.chance(0.5);
  if (k === 2) return r.pick([0, -1, 1e308, 3.14, Number.MAX_SAFE_INTEGER]);
  if (k === 3) return r.chance(0.2) ? 'x'.repeat(r.int(5000)) : segment(r);
  if (k === 4) return r.pick(['help', 'join', 'programme new', 'forget me', '/status', '<at>Bot</at> pair']);
  if (k === 5) return Array.from({ length: r.int(4) }, () => jsonValue(r, depth + 1));
  return Object.fromEntries(Array.from({ length: r.int(5) }, () => [r.pick(['type', 'text', 'value', 'from', 'conversation', 'verb', 'status', 'programme', 'tutorialId', '__proto__', 'constructor', segment(r)]), jsonValue(r, depth + 1)]));
}

/** A Teams-shaped activity with one required part broken (a whole one would be a real message). */
function brokenActivity(r: Rng): Record<string, unknown> {
  const a: Record<string, unknown> = {
    type: r.pick(['message', 'invoke', 'conversationUpdate', 'installationUpdate', 'messageReaction', 'event']),
    channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9/', id: segment(r), text: jsonValue(r),
    from: { id: `29:${segment(r)}`, aadObjectId: segment(r) }, recipient: { id: '28:bot' },
    conversation: { id: `a:${segment(r)}`, conversationType: r.pick(['personal', 'channel', 'groupChat', 'x']), tenantId: TENANT },
    channelData: { tenant: { id: TENANT } }, value: jsonValue(r), locale: r.pick(['en-US', 'de-DE', 'xx', '']),
  };
  const breakIt = r.pick(['type', 'from', 'conversation', 'text', 'channelData']);
  a[breakIt] = r.pick([undefined, null, 42, [], 'x', { id: 7 }]);
  if (breakIt === 'type' && typeof a.type === 'string') a.type = '';
  if (breakIt === 'text' && (typeof a.text === 'string' || a.text === null || a.text === undefined)) a.text = { nested: true };
  return a;
}

function bodyFor(r: Rng, local: boolean): Buffer | undefined {
  if (r.chance(0.2)) return undefined;
  const k = r.int(7);
  let text: string;
  if (k === 0) text = JSON.stringify(local ? brokenActivity(r) : { ...brokenActivity(r), ...(r.chance(0.5) ? { type: 'message', text: 'help', from: { id: '29:x' }, conversation: { id: 'a:1' } } : {}) });
  else if (k === 1) text = JSON.stringify({ programme: r.chance(0.5) ? PROGRAMME_ID : jsonValue(r), tutorialId: r.pick(['l1-profile', 'l5-lead', segment(r)]), status: r.pick(['done', 'in-progress', 'x', 7]), menteeId: jsonValue(r) });
  else if (k === 2) text = JSON.stringify(jsonValue(r));
  else if (k === 3) text = '['.repeat(1 + r.int(5000)) + ']'.repeat(r.int(5000));
  else if (k === 4) text = Array.from({ length: r.int(2000) }, () => String.fromCharCode(r.int(256))).join('');
  else if (k === 5) text = '{"a":' + '"' + 'z'.repeat(r.int(200_000)) + '"}';
  else text = `--zz\r\nContent-Disposition: form-data; name="file"; filename="${segment(r)}"\r\n\r\n${'Q'.repeat(r.int(50_000))}\r\n--zz--\r\n`;
  const raw = Buffer.from(text, k === 4 ? 'latin1' : 'utf8');
  if (r.chance(0.15)) return gzipSync(raw);
  if (r.chance(0.05)) return deflateSync(raw);
  return raw;
}

function headersFor(r: Rng, body: Buffer | undefined, tokens: string[]): Record<string, string | number> {
  const h: Record<string, string | number> = {};
  if (body && r.chance(0.85)) h['content-type'] = r.pick(TYPES);
  if (body && r.chance(0.25)) h['content-encoding'] = r.pick(ENCODINGS);
  if (body && r.chance(0.8)) h['content-length'] = body.length;
  if (r.chance(0.5)) h.authorization = r.pick([...tokens, 'Bearer ', 'Bearer a.b.c', 'Basic Zm9vOmJhcg==', `Bearer ${segment(r)}.${segment(r)}.${segment(r)}`, 'x'.repeat(3000)]);
  if (r.chance(0.4)) h['x-local-user'] = r.pick([segment(r), '00000000-0000-4000-9000-00000000f00d', '']);
  if (r.chance(0.4)) h['x-local-tenant'] = r.pick([TENANT, segment(r)]);
  if (r.chance(0.3)) h['accept-encoding'] = r.pick(['gzip', 'br', '*', 'identity;q=0', segment(r)]);
  if (r.chance(0.3)) h.accept = r.pick(['*/*', 'text/html', 'application/xml', 'image/png', segment(r)]);
  if (r.chance(0.2)) h['accept-language'] = r.pick(['de-DE', 'nl', 'xx-YY', '*', segment(r)]);
  if (r.chance(0.1)) h['if-none-match'] = r.pick(['*', '"x"', segment(r)]);
  if (r.chance(0.05)) h.expect = '100-continue';
  return h;
}

interface Answer {
  status: number;
  body: string;
  what: string;
  ms: number;
}

function send(base: URL, agent: http.Agent, method: string, p: string, headers: Record<string, string | number>, body?: Buffer): Promise<Answer> {
  const what = `${method} ${p.slice(0, 120)} ${JSON.stringify(headers).slice(0, 200)} body ${body?.length ?? '-'}`;
  const started = Date.now();
  return new Promise<Omit<Answer, 'ms'>>((resolve) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: base.hostname, port: base.port, method, path: p, headers, agent, timeout: 5_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), what }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body: '', what }));
      });
    } catch {
      // Node refuses to send it at all (an invalid character in the path or a header): not the server's business.
      return resolve({ status: -1, body: '', what });
    }
    req.on('error', () => resolve({ status: 0, body: '', what }));
    req.on('timeout', () => req.destroy());
    if (body) req.write(body);
    req.end();
  }).then((a) => ({ ...a, ms: Date.now() - started }));
}

async function fuzz(server: ChildServer, count: number, seed: number, local: boolean, tokens: string[]): Promise<Answer[]> {
  const r = prng(seed);
  const base = new URL(server.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const cases = Array.from({ length: count }, () => {
    const route = r.pick(ROUTES);
    // (CONNECT is sent raw below: Node's client never times out a CONNECT the server closed.)
    const method = r.chance(0.75) ? route[0] : r.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'PROPFIND', 'TRACE']);
    const body = method === 'GET' || method === 'HEAD' ? (r.chance(0.1) ? bodyFor(r, local) : undefined) : bodyFor(r, local);
    return { method, path: pathFor(r), headers: headersFor(r, body, tokens), body };
  });
  const answers: Answer[] = [];
  let next = 0;

  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const c = cases[next++];
        answers.push(await send(base, agent, c.method, c.path, c.headers, c.body));
      }
    }),
  );
  agent.destroy();
  return answers;
}

const RAW_REQUESTS = 300;
// restify 12 builds a URL from the Host: each of these made it throw (and end the process) or
// route another path, before the gate checked the Host.
const HOSTS = ['', 'bad host', 'h:99999', 'a/b', 'a?b', 'a#b', 'user@evil', '[::1', '%00', 'x'.repeat(300), '127.0.0.1:1', 'évil', 'a b c',
  'a\\b', '1.2.3.256', '4294967296', '0x100000000', 'h:65536', 'h:+1', ':80', ':', '[]', '[v1.x]', '[fe80::1%25eth0]', '[::1]:99999', 'a|b', 'a^b', 'a<b', 'a%b', 'ß', '\u00a0', 'a:b:c'];

/** Requests Node's client will not send: odd request lines, Host headers and methods, written raw. */
async function fuzzRaw(server: ChildServer, count: number, seed: number): Promise<Answer[]> {
  const r = prng(seed);
  const lines = Array.from({ length: count }, () => {
    const method = r.pick(['GET', 'POST', 'CONNECT', 'get', 'G E T', 'PRI', 'DELETE', '']);
    const target = r.pick([pathFor(r), '*', `http://evil.example${pathFor(r)}`, '//healthz', 'healthz', '/tab/../../etc/passwd', '/api/messages#frag']);
    const version = r.pick(['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1 extra', '']);
    const host = r.pick(HOSTS);
    const extra = r.pick(['', 'Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', 'Content-Length: -1\r\n', 'Content-Length: abc\r\n', 'X: \u0001\r\n', 'Content-Type: application/json\r\nContent-Length: 2\r\n']);
    const body = extra.includes('Length: 2') ? '{}' : '';
    return `${method} ${target} ${version}\r\n${host ? `Host: ${host}\r\n` : ''}${extra}Connection: close\r\n\r\n${body}`;
  });
  // Every Host on requests the gate lets through, where restify 12 reads it (a random line mostly
  // stops at the gate before that).
  for (const host of HOSTS) {
    for (const p of ['/healthz', '/api/config', '/tab/index.html']) lines.push(`GET ${p} HTTP/1.1\r\n${host ? `Host: ${host}\r\n` : ''}Connection: close\r\n\r\n`);
  }
  const answers: Answer[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < lines.length) {
        const line = lines[next++];
        const started = Date.now();
        const text = await rawSocket(server.url, Buffer.from(line, 'utf8'), 5000);
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
        answers.push({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4), what: JSON.stringify(line.slice(0, 160)), ms: Date.now() - started });
      }
    }),
  );
  return answers;
}

function expectClean(answers: Answer[], server: ChildServer): void {
  const bad = answers.filter(
    (a) =>
      a.status >= 500 ||
      a.ms > 4_000 ||
      a.body.includes(ROOT) ||
      /ENOENT|node_modules|at [\w.<>]+ \(|RangeError|TypeError|SyntaxError|ReferenceError|\/tmp\/|caused by/.test(a.body),
  );
  if (bad.length) console.error(`fuzz seed ${SEED}: ${bad.length} bad answers, e.g.\n${bad.slice(0, 5).map((b) => `${b.status} ${b.ms} ms ${b.what}\n  -> ${b.body.slice(0, 300)}`).join('\n')}`);
  expect(bad.map((b) => `${b.status} ${b.ms} ms ${b.what}`)).toEqual([]);
  // Some requests got an answer each time: the run really reached the server.
  expect(answers.filter((a) => a.status >= 200).length).toBeGreaterThan(answers.length * 0.8);
  expect(server.proc.exitCode).toBeNull();
}

describe(`fuzzing every route (seed ${SEED})`, () => {
  let issuer: BotTokenIssuer;
  let sso: SsoStandIn;
  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} replays it)`);
    issuer = await startBotTokenIssuer();
    sso = await startSso();
  });
  afterAll(async () => {
    await issuer?.stop();
    await sso?.stop();
  });

  for (const mode of ['authenticated', 'local'] as const) {
    it(`${mode}: no 5xx, nothing internal in any answer, the server alive, storage unchanged`, async () => {
      const prefix = testPrefix();
      const env: Record<string, string> = { AZURE_STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: prefix, PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0', HOST: '127.0.0.1' };
      if (mode === 'authenticated') {
        Object.assign(env, { MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: 'not-a-real-secret', BOT_OPENID_METADATA_URL: issuer.metadataUrl, TAB_APP_ID: sso.appId, TAB_JWKS_URL: sso.jwksUrl });
      }
      const store = new Store({ connectionString: connectionString(), tablePrefix: prefix });
      await store.ensureTables();
      await seedWorld(store);
      const server = await startChildServer(env);
      try {
        // A real SSO token, for someone who is in no programme: the API's own checks then run.
        const tokens = mode === 'authenticated' ? [`Bearer ${await sso.token({ tenantId: TENANT, userId: '00000000-0000-4000-9000-00000000f00d' })}`] : [];
        const before = await snapshot(store);
        const answers = await fuzz(server, mode === 'authenticated' ? REQUESTS_AUTH : REQUESTS_LOCAL, SEED + (mode === 'local' ? 1 : 0), mode === 'local', tokens);
        expectClean(answers, server);
        const raw = await fuzzRaw(server, RAW_REQUESTS, SEED + 2);
        // Node's own parser refuses many of these with 400 and closes: any answer but a 5xx (or none) is fine.
        expectClean(raw.map((a) => ({ ...a, status: a.status || 400 })), server);
        const health = await fetch(`${server.url}/healthz`);
        expect(health.status).toBe(200);
        expect(diff(before, await snapshot(store))).toEqual([]);
      } finally {
        await server.stop();
      }
    });
  }
});
