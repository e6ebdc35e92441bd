// A stand-in for Entra ID's signing keys: a test RSA key served as a JWKS over local HTTP, and
// tokens shaped like Teams SSO tokens, signed with it. The server verifies them with its real code.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';

export const TAB_APP_ID = '5c0ffee0-0000-4000-8000-00000000ab00';

export interface TokenOptions {
  tenantId: string;
  userId: string;
  name?: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  extra?: JWTPayload;
}

export interface SsoStandIn {
  jwksUrl: string;
  appId: string;
  /** A token signed with the published key. */
  token(o: TokenOptions): Promise<string>;
  /** Same header (kid) and claims, but signed with a key nobody published. */
  forged(o: TokenOptions): Promise<string>;
  /** How often the JWKS was fetched (jose should cache it). */
  fetches(): number;
  stop(): Promise<void>;
}

export async function startSso(appId = TAB_APP_ID): Promise<SsoStandIn> {
  const kid = 'test-key-1';
  const real = await generateKeyPair('RS256');
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(real.publicKey)), kid, alg: 'RS256', use: 'sig' };
  let count = 0;
  const server = http.createServer((req, res) => {
    count++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;

  const sign = async (key: CryptoKey | Parameters<SignJWT['sign']>[0], o: TokenOptions) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (o.expiresIn ?? 3600);
    return new SignJWT({ tid: o.tenantId, oid: o.userId, name: o.name ?? 'Test Person', ver: '2.0', scp: 'access_as_user', ...o.extra })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? `https://login.microsoftonline.com/${o.tenantId}/v2.0`)
      .setAudience(o.audience ?? `api://localhost/${appId}`)
      .setSubject(`sub-${o.userId}`)
      .setIssuedAt(Math.min(now, exp - 60))
      .setNotBefore(Math.min(now, exp - 60))
      .setExpirationTime(exp)
      .sign(key);
  };

  return {
    jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    appId,
    token: (o) => sign(real.privateKey, o),
    forged: (o) => sign(rogue.privateKey, o),
    fetches: () => count,
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}
