// A stand-in for Entra ID's token issuer (the Microsoft identity platform v2 endpoints), over
// HTTPS with a certificate made for the test run, because @azure/identity refuses an http
// authority. It answers what @azure/identity and MSAL ask for:
// - GET  /common/discovery/instance                       instance metadata (aliases of the host)
// - GET  /{tenant}/v2.0/.well-known/openid-configuration  the tenant's endpoints
// - GET  /{tenant}/discovery/v2.0/keys                    its signing keys
// - POST /{tenant}/oauth2/v2.0/token                      client credentials (app-only Graph tokens
//   with the app's granted roles) and on-behalf-of (grant_type jwt-bearer: a Teams SSO token in,
//   a delegated Graph token with the consented scopes out), with Entra's error bodies
//   (invalid_client AADSTS7000215, invalid_grant AADSTS65001 consent_required, AADSTS50013).
// Its Graph tokens are RS256 JWTs shaped like Graph's (aud https://graph.microsoft.com, tid, oid,
// roles or scp, idtyp); `verify` lets the Graph stand-in check them like Graph would.
import * as https from 'https';
import * as tls from 'tls';
import type { AddressInfo } from 'net';
import { exportJWK, generateKeyPair, JWTPayload, jwtVerify, SignJWT, createRemoteJWKSet } from 'jose';

export const GRAPH_AUDIENCE = 'https://graph.microsoft.com';

export interface EntraApp {
  clientId: string;
  secret: string;
  /** Application permissions (app roles) of Microsoft Graph granted with admin consent. */
  roles?: string[];
}

export interface TokenRequestLog {
  grant: string;
  clientId: string;
  tenant: string;
  scope: string;
  status: number;
  error?: string;
}

export interface EntraStandIn {
  /** https://127.0.0.1:port: set as AZURE_AUTHORITY_HOST. */
  authorityHost: string;
  /** The certificate clients must trust (PEM). */
  cert: string;
  log: TokenRequestLog[];
  register(app: EntraApp): void;
  /** Delegated Graph scopes a user consented to for an app (tenant|user|client); unset = every scope asked. */
  consent(tenantId: string, userId: string, clientId: string, scopes: string[]): void;
  /** The claims of a Graph token this issuer signed and that has not expired, else undefined. */
  verify(jwt: string): Promise<JWTPayload | undefined>;
  /** A Graph token signed by this issuer with chosen claims (for tests of Graph's checks). */
  graphToken(claims: JWTPayload & { tid: string }, opts?: { audience?: string; expiresIn?: number }): Promise<string>;
  stop(): Promise<void>;
}

export interface EntraOptions {
  /** Where the SSO tokens (OBO assertions) are signed: their JWKS. */
  assertionJwksUrl?: string;
  /** The audience of the assertions the OBO exchange accepts for an app (its Application ID URI or id). */
  assertionAudience?: (clientId: string) => string[];
}

/** Trusts the stand-in's certificate in this process (Node >= 24.5): its own TLS clients then accept it. */
export function trustCertificate(cert: string): () => void {
  const before = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...before, cert]);
  return () => tls.setDefaultCACertificates(before);
}

export async function startEntra(opts: EntraOptions = {}): Promise<EntraStandIn> {
  const selfsigned = require('selfsigned') as { generate(attrs: unknown, o: unknown): Promise<{ private: string; cert: string }> };
  const pems = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keySize: 2048,
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] },
    ],
  });
  const kid = 'entra-stand-in-key';
  const keys = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(keys.publicKey)), kid, use: 'sig', alg: 'RS256' };
  const apps = new Map<string, EntraApp>();
  const consents = new Map<string, string[]>();
  const log: TokenRequestLog[] = [];
  const assertionKeys = opts.assertionJwksUrl ? createRemoteJWKSet(new URL(opts.assertionJwksUrl)) : undefined;
  let base = '';

  const sign = (claims: JWTPayload & { tid: string }, audience = GRAPH_AUDIENCE, expiresIn = 3600) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ver: '1.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(`https://sts.windows.net/${claims.tid}/`)
      .setAudience(audience)
      .setIssuedAt(now - 5)
      .setNotBefore(now - 5)
      .setExpirationTime(now + expiresIn)
      .sign(keys.privateKey);
  };

  const json = (res: import('http').ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const aadError = (res: import('http').ServerResponse, status: number, error: string, code: number, text: string, extra: Record<string, unknown> = {}) =>
    json(res, status, {
      error, error_description: `AADSTS${code}: ${text} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: ${new Date().toISOString()}`,
      error_codes: [code], timestamp: new Date().toISOString(), trace_id: '00000000-0000-0000-0000-000000000000', correlation_id: '00000000-0000-0000-0000-000000000000', ...extra,
    });

  const server = https.createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void handle(req, res, Buffer.concat(chunks).toString('utf8')).catch(() => json(res, 500, { error: 'server_error' })));
  });

  async function handle(req: import('http').IncomingMessage, res: import('http').ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', base);
    const segs = url.pathname.split('/').filter(Boolean);
    const host = new URL(base).host;
    if (req.method === 'GET' && url.pathname === '/common/discovery/instance') {
      return json(res, 200, {
        tenant_discovery_endpoint: `${base}/common/v2.0/.well-known/openid-configuration`, 'api-version': '1.1',
        metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
      });
    }
    if (req.method === 'GET' && segs[1] === 'v2.0' && url.pathname.endsWith('/.well-known/openid-configuration')) {
      const t = segs[0];
      return json(res, 200, {
        token_endpoint: `${base}/${t}/oauth2/v2.0/token`, authorization_endpoint: `${base}/${t}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${base}/${t}/oauth2/v2.0/devicecode`, end_session_endpoint: `${base}/${t}/oauth2/v2.0/logout`,
        jwks_uri: `${base}/${t}/discovery/v2.0/keys`, issuer: `${base}/${t}/v2.0`, response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'], id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'], tenant_region_scope: 'EU', cloud_instance_name: 'microsoftonline.com',
      });
    }
    if (req.method === 'GET' && url.pathname.endsWith('/discovery/v2.0/keys')) return json(res, 200, { keys: [jwk] });
    if (req.method === 'POST' && segs.length === 4 && segs[1] === 'oauth2' && segs[3] === 'token') return token(res, segs[0], new URLSearchParams(body));
    json(res, 404, { error: 'not_found' });
  }

  async function token(res: import('http').ServerResponse, tenant: string, form: URLSearchParams): Promise<void> {
    const grant = form.get('grant_type') ?? '';
    const clientId = form.get('client_id') ?? '';
    const scope = form.get('scope') ?? '';
    const entry: TokenRequestLog = { grant, clientId, tenant, scope, status: 200 };
    log.push(entry);
    const fail = (status: number, error: string, code: number, text: string, extra?: Record<string, unknown>) => {
      entry.status = status;
      entry.error = `${error} ${code}`;
      aadError(res, status, error, code, text, extra);
    };
    const app = apps.get(clientId);
    if (!app) return fail(400, 'unauthorized_client', 700016, `Application with identifier '${clientId}' was not found in the directory '${tenant}'.`);
    if (form.get('client_secret') !== app.secret) return fail(401, 'invalid_client', 7000215, 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    const scopes = scope.split(/\s+/).filter(Boolean);
    const graphScopes = scopes.filter((s) => s.startsWith(`${GRAPH_AUDIENCE}/`)).map((s) => s.slice(GRAPH_AUDIENCE.length + 1));
    if (grant === 'client_credentials') {
      if (graphScopes.length !== 1 || graphScopes[0] !== '.default') return fail(400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
      const access = await sign({ tid: tenant, oid: `sp-${clientId}`, sub: `sp-${clientId}`, appid: clientId, azp: clientId, idtyp: 'app', roles: app.roles ?? [] });
      return issued(res, access, app.roles?.join(' ') ?? '');
    }
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer' && form.get('requested_token_use') === 'on_behalf_of') {
      const assertion = form.get('assertion') ?? '';
      let claims: JWTPayload;
      try {
        if (!assertionKeys) throw new Error('no assertion keys');
        ({ payload: claims } = await jwtVerify(assertion, assertionKeys, { audience: opts.assertionAudience?.(clientId) ?? [clientId, `api://localhost/${clientId}`] }));
      } catch {
        return fail(400, 'invalid_grant', 50013, 'Assertion failed signature validation.');
      }
      if (String(claims.tid) !== tenant) return fail(400, 'invalid_grant', 50013, 'Assertion contains an invalid tenant.');
      const wanted = graphScopes.filter((s) => s !== '.default');
      const granted = consents.get(`${tenant}|${claims.oid}|${clientId}`.toLowerCase());
      const missing = granted ? wanted.filter((s) => !granted.includes(s)) : [];
      if (missing.length) {
        return fail(400, 'invalid_grant', 65001, `The user or administrator has not consented to use the application with ID '${clientId}'. Send an interactive authorization request for this user and resource.`, { suberror: 'consent_required' });
      }
      const scp = (graphScopes.includes('.default') ? granted ?? wanted : wanted).join(' ');
      const access = await sign({ tid: tenant, oid: String(claims.oid), sub: String(claims.sub ?? claims.oid), appid: clientId, azp: clientId, idtyp: 'user', scp, name: claims.name, upn: claims.preferred_username });
      return issued(res, access, scopes.join(' '));
    }
    fail(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
  }

  function issued(res: import('http').ServerResponse, access: string, scope: string): void {
    json(res, 200, { token_type: 'Bearer', scope, expires_in: 3599, ext_expires_in: 3599, access_token: access });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    authorityHost: base,
    cert: pems.cert,
    log,
    register: (app) => void apps.set(app.clientId, app),
    consent: (tenantId, userId, clientId, scopes) => void consents.set(`${tenantId}|${userId}|${clientId}`.toLowerCase(), scopes),
    async verify(jwt) {
      try {
        return (await jwtVerify(jwt, keys.publicKey, { algorithms: ['RS256'] })).payload;
      } catch {
        return undefined;
      }
    },
    graphToken: (claims, o = {}) => sign(claims, o.audience, o.expiresIn),
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
