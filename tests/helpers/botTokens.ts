// A stand-in for the Bot Framework's token issuer: an OpenID metadata document and a JWKS
// (with Teams' "msteams" endorsement) served over local HTTP, and tokens shaped like the ones
// the Bot Connector sends to bots, signed with that key. The server checks them with botbuilder's
// real verification code, pointed here by BOT_OPENID_METADATA_URL.
import * as http from 'http';
import type { AddressInfo } from 'net';
import { exportJWK, generateKeyPair, JWTPayload, SignJWT } from 'jose';
import { AppCredentials, AuthenticationConstants } from 'botframework-connector';

export const BOT_APP_ID = '3b07aaaa-0000-4000-8000-0000000b0700';
export const BOT_ISSUER = 'https://api.botframework.com';

export interface BotTokenOptions {
  serviceUrl: string;
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  kid?: string;
  extra?: JWTPayload;
}

export interface BotTokenIssuer {
  metadataUrl: string;
  /** Signed with the published key. */
  token(o: BotTokenOptions): Promise<string>;
  /** Same kid and claims, signed with a key nobody published. */
  forged(o: BotTokenOptions): Promise<string>;
  /** An unsigned token ("alg": "none"). */
  unsigned(o: BotTokenOptions): string;
  stop(): Promise<void>;
}

export async function startBotTokenIssuer(): Promise<BotTokenIssuer> {
  const kid = 'bf-test-key';
  const real = await generateKeyPair('RS256');
  const rogue = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(real.publicKey)), kid, use: 'sig', endorsements: ['msteams'] };
  let base = '';
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    if (req.url?.includes('openidconfiguration')) {
      res.end(JSON.stringify({ issuer: BOT_ISSUER, jwks_uri: `${base}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'] }));
    } else res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const claims = (o: BotTokenOptions) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + (o.expiresIn ?? 3600);
    return { now, exp, payload: { serviceurl: o.serviceUrl, ...o.extra } };
  };
  const sign = async (key: Parameters<SignJWT['sign']>[0], o: BotTokenOptions) => {
    const { now, exp, payload } = claims(o);
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? kid, typ: 'JWT' })
      .setIssuer(o.issuer ?? BOT_ISSUER)
      .setAudience(o.audience ?? BOT_APP_ID)
      .setIssuedAt(Math.min(now, exp - 60))
      .setNotBefore(Math.min(now, exp - 60))
      .setExpirationTime(exp)
      .sign(key);
  };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return {
    metadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    token: (o) => sign(real.privateKey, o),
    forged: (o) => sign(rogue.privateKey, o),
    unsigned: (o) => {
      const { now, exp, payload } = claims(o);
      return `${b64({ alg: 'none', typ: 'JWT', kid })}.${b64({ ...payload, iss: o.issuer ?? BOT_ISSUER, aud: o.audience ?? BOT_APP_ID, iat: now, nbf: now, exp })}.`;
    },
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/**
 * The bot's own outbound token (bot -> Bot Connector) comes from Entra via MSAL, which this
 * closed network cannot reach. botbuilder caches it per app id and scope: give it one.
 */
export function seedOutboundToken(appId = BOT_APP_ID, token = 'outbound-test-token'): void {
  const cacheKey = `${appId}${AuthenticationConstants.ToChannelFromBotOAuthScope}-cache`;
  (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.set(cacheKey, { accessToken: token, expiresOn: new Date(Date.now() + 3600_000) });
}
