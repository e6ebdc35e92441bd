// restify 12 routes every request by WHATWG `new URL('http://' + Host + path)`: a Host header that
// is no valid host made it throw outside any handler, which ended the process; one with "/", "?",
// "#" or "@" moved the path; and "." / ".." segments (raw or %2e) are resolved, so restify would
// route another path than the gate checked. The gate answers all of them 400 and the server goes
// on serving (tested in a real child process, where a crash shows as an exit).
import { validHost } from '../bot/http/routes';
import { ChildServer, startChildServer } from './helpers/childServer';
import { rawSocket, request } from './helpers/rawHttp';
import { connectionString, testPrefix } from './helpers/storage';

/** The status line of one raw GET with this Host header. */
async function get(url: string, path: string, host: string): Promise<string> {
  const answer = await rawSocket(url, `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
  return answer.split('\r\n')[0];
}

let server: ChildServer;
beforeAll(async () => {
  server = await startChildServer({ AZURE_STORAGE_CONNECTION_STRING: connectionString(), TABLE_PREFIX: testPrefix(), PORT: '0', SCHEDULER_INTERVAL_SECONDS: '0' });
});
afterAll(() => server?.stop());

async function expectAlive(): Promise<void> {
  expect(server.proc.exitCode).toBeNull();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}

describe('a malformed Host header', () => {
  it.each(['bad host', '127.0.0.1:99999', '[::1', 'a/b', 'x@y', 'a?x=1', 'a#f', 'a\\b', '1.2.3.256', '4294967296', 'h:65536', ':80', '[v1.x]', '[]', 'a|b', 'a%b', 'ß'])('Host: %s gets 400 and the server keeps serving', async (host) => {
    expect(await get(server.url, '/healthz', host)).toMatch(/^HTTP\/1\.1 400 /);
    expect(await get(server.url, '/api/me', host)).toMatch(/^HTTP\/1\.1 400 /);
    await expectAlive();
  });

  it('a good Host, with or without a port, is served as before', async () => {
    for (const host of ['reverse-mentor.azurewebsites.net', new URL(server.url).host, '[::1]:3978', 'localhost']) {
      expect((await request(server.url, { path: '/healthz', headers: { host } })).status).toBe(200);
    }
  });

  it('no Host (HTTP/1.0) or an empty one is served; HTTP/1.1 without Host is refused by Node', async () => {
    const status = async (request: string) => (await rawSocket(server.url, request)).split('\r\n')[0];
    expect(await status('GET /healthz HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await status('GET /healthz HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
    expect(await status('GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    await expectAlive();
  });

  it('validHost', () => {
    for (const ok of [undefined, '', 'localhost', 'localhost:3978', 'app.example', '10.0.0.1:80', '[::1]', '[::1]:3978']) expect(validHost(ok)).toBe(true);
    for (const bad of ['a b', 'a/b', 'h:123456', 'h:99999', 'x@y', 'a?b', 'a#b', '[::1', 'a:b:c']) expect(validHost(bad)).toBe(false);
  });
});

describe('dot segments in the path', () => {
  it.each(['/tab/./index.html', '/tab/%2e%2e/x', '/tab/../healthz', '/tab/%2e/index.html', '/tab/%2E%2e/healthz', '/tab/.%2e/healthz', '/healthz/.', '/tab/x/..'])(
    '%s gets 400 (restify would route its resolved path)',
    async (p) => {
      expect(await get(server.url, p, '127.0.0.1')).toMatch(/^HTTP\/1\.1 400 /);
      await expectAlive();
    },
  );

  it('names that only start with dots are still files', async () => {
    expect((await request(server.url, { path: '/tab/...' })).status).toBe(404);
    expect((await request(server.url, { path: '/tab/.hidden' })).status).toBe(404);
    expect((await request(server.url, { path: '/tab/index.html' })).status).toBe(200);
  });
});
