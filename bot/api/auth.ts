// Who is calling: a verified Teams SSO token, or (only with no Entra app configured) the local
// identity headers. The user id in a URL or body is never used as identity.
import { createRemoteJWKSet, errors as joseErrors, JWTPayload, jwtVerify } from 'jose';
import type { Config } from '../config';
import { ApiError } from './http';

export interface Identity {
  tenantId: string;
  userId: string;
  /** Display name from the token, when it carries one. */
  name?: string;
  mode: 'sso' | 'local';
  /** The verified SSO token itself, for the on-behalf-of exchange (calendar access). */
  assertion?: string;
  /** Sign-in name from the token (preferred_username). */
  upn?: string;
}

export const DEFAULT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Local ids may be any simple token (the Agents Playground uses its own), but nothing exotic. */
const LOCAL_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

export interface HeaderSource {
  header(name: string): string | undefined;
}

export type Authenticate = (req: HeaderSource) => Promise<Identity>;

/**
 * Local mode: no Entra app at all (`npm start`, loopback only). Only then is the local identity
 * switcher's header honoured; a bot with an app id but no tab app has no way to sign in to the tab.
 */
export const localMode = (config: Pick<Config, 'appId' | 'tabAppId'>): boolean => !config.tabAppId && !config.appId;

export function createAuthenticator(config: Config): Authenticate {
  if (localMode(config)) return authenticateLocal;
  if (!config.tabAppId) {
    return async () => {
      throw new ApiError(401, 'sign-in-not-configured', 'The tab cannot sign anyone in: this server has no TAB_APP_ID configured.');
    };
  }
  // jose caches the key set and refetches it (rate-limited) when a token names an unknown kid.
  const jwks = createRemoteJWKSet(new URL(config.tabJwksUrl ?? DEFAULT_JWKS_URL), { timeoutDuration: 5000, cooldownDuration: 30000 });
  const appId = config.tabAppId.toLowerCase();
  const audienceOk = (aud: unknown): boolean => {
    const list = Array.isArray(aud) ? aud : [aud];
    return list.some((a) => typeof a === 'string' && (a.toLowerCase() === appId || new RegExp(`^api://[^/]+/${appId}$`).test(a.toLowerCase())));
  };
  const issuerOk = (iss: unknown, tid: string): boolean => {
    if (typeof iss !== 'string') return false;
    if (config.tabIssuer) return iss === config.tabIssuer.replace('{tid}', tid);
    return iss === `https://login.microsoftonline.com/${tid}/v2.0` || iss === `https://sts.windows.net/${tid}/`;
  };
  const singleTenant = config.appType === 'SingleTenant' && config.appTenantId ? config.appTenantId.toLowerCase() : undefined;
  const verified = new VerifiedTokens();

  return async (req) => {
    const auth = req.header('authorization') ?? '';
    // The tab sends the same token with every call for up to an hour: its signature is checked
    // once, and a token seen before is found by its exact text.
    const known = verified.get(auth);
    if (known) return known;
    const m = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(auth);
    if (!m) {
      if (req.header('x-local-user')) throw new ApiError(401, 'local-identity-refused', 'Local identity is not accepted: this server has an Entra app configured (TAB_APP_ID). Sign in through Teams.');
      throw new ApiError(401, 'unauthenticated', 'Sign-in required: open the tab in Teams.');
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1], jwks, { algorithms: ['RS256'], clockTolerance: 60, requiredClaims: ['exp', 'iss', 'aud', 'tid', 'oid'] }));
    } catch (err) {
      // The key set could not be fetched: our problem, not the caller's.
      if (err instanceof joseErrors.JWKSTimeout || !(err instanceof joseErrors.JOSEError)) {
        throw new ApiError(503, 'auth-unavailable', 'Sign-in could not be checked right now. Please try again in a minute.');
      }
      throw new ApiError(401, 'invalid-token', `The sign-in token was not accepted (${reason(err)}).`);
    }
    const tid = String(payload.tid ?? '');
    const oid = String(payload.oid ?? '');
    if (!GUID.test(tid) || !GUID.test(oid)) throw new ApiError(401, 'invalid-token', 'The sign-in token was not accepted (tenant or user id missing).');
    if (!audienceOk(payload.aud)) throw new ApiError(401, 'invalid-token', 'The sign-in token was not accepted (audience).');
    if (!issuerOk(payload.iss, tid)) throw new ApiError(401, 'invalid-token', 'The sign-in token was not accepted (issuer).');
    if (singleTenant && tid.toLowerCase() !== singleTenant) throw new ApiError(401, 'invalid-token', 'The sign-in token was not accepted (tenant).');
    const name = typeof payload.name === 'string' ? payload.name : undefined;
    const upn = typeof payload.preferred_username === 'string' ? payload.preferred_username : undefined;
    const identity: Identity = { tenantId: tid, userId: oid, name, mode: 'sso', assertion: m[1], upn };
    verified.add(auth, identity, Number(payload.exp) * 1000);
    return identity;
  };
}

const VERIFIED_MAX = 5_000;
const VERIFIED_MAX_MS = 5 * 60_000;

/**
 * Tokens whose signature and claims were checked, by their exact text, until they expire (at most
 * five minutes, so a signing key withdrawn from the key set stops being honoured soon after).
 * Only the identical string matches: any other token, forged or not, is verified in full.
 */
class VerifiedTokens {
  private readonly tokens = new Map<string, { identity: Identity; until: number }>();

  get(token: string): Identity | undefined {
    const hit = this.tokens.get(token);
    if (!hit) return undefined;
    if (hit.until > Date.now()) return hit.identity;
    this.tokens.delete(token);
    return undefined;
  }

  add(token: string, identity: Identity, expiresAt: number): void {
    const until = Math.min(expiresAt, Date.now() + VERIFIED_MAX_MS);
    if (!(until > Date.now())) return;
    this.tokens.set(token, { identity, until });
    // Oldest first (insertion order).
    if (this.tokens.size > VERIFIED_MAX) this.tokens.delete(this.tokens.keys().next().value!);
  }
}

async function authenticateLocal(req: HeaderSource): Promise<Identity> {
  const userId = (req.header('x-local-user') ?? '').trim();
  const tenantId = (req.header('x-local-tenant') ?? '').trim();
  if (!userId || !tenantId) throw new ApiError(401, 'unauthenticated', 'Local mode: choose who you are (X-Local-User and X-Local-Tenant).');
  if (!LOCAL_ID.test(userId) || !LOCAL_ID.test(tenantId)) throw new ApiError(401, 'unauthenticated', 'Local mode: the user or tenant id is not valid.');
  return { tenantId, userId, mode: 'local' };
}

function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'expired';
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature';
  if (err instanceof joseErrors.JWKSNoMatchingKey) return 'unknown signing key';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `claim ${err.claim}`;
  if (err instanceof joseErrors.JOSEError) return err.code.toLowerCase();
  return 'malformed';
}
