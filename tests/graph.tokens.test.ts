// The Graph client's token path, in authenticated mode: @azure/identity asks a local Entra token
// issuer over HTTPS (a certificate made for this run, trusted in-process with
// tls.setDefaultCACertificates) for the bot app's app-only tokens, and the Graph stand-in checks
// every bearer token like Graph (signature, lifetime, audience, tenant, app roles) and refuses
// wrong ones with Graph's own 401/403 answers.
import { textOf } from './connector/connector';
import { BOT_APP_ID, BotTokenIssuer, seedOutboundToken, startBotTokenIssuer } from './helpers/botTokens';
import { createProgramme, inputIds } from './helpers/flows';
import { entraUser, GraphStandIn, startGraph } from './helpers/graph';
import { EntraStandIn, startEntra, trustCertificate } from './helpers/entra';
import { Harness, OTHER_TENANT, startHarness, TENANT, user } from './helpers/harness';

const SECRET = 'bot-secret-value';
const ROLES = ['User.Read.All', 'GroupMember.Read.All', 'MailboxSettings.Read'];

describe('app-only Graph tokens from Entra (the directory)', () => {
  const admin = user('Ada Admin');
  const dana = user('Dana Directory');
  const tom = user('Tom Token');
  let entra: EntraStandIn;
  let untrust: () => void;
  let issuer: BotTokenIssuer;
  let graph: GraphStandIn;
  let h: Harness;

  beforeAll(async () => {
    entra = await startEntra();
    untrust = trustCertificate(entra.cert);
    entra.register({ clientId: BOT_APP_ID, secret: SECRET, roles: ROLES });
    issuer = await startBotTokenIssuer();
    graph = await startGraph({ users: [entraUser(admin), entraUser(dana, { department: 'Vertrieb', jobTitle: 'Vertriebsleiterin' }), entraUser(tom, { department: 'Legal' })], groups: [] });
    graph.tokens = { verify: (jwt) => entra.verify(jwt), tenantId: TENANT };
    h = await startHarness({
      MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: SECRET, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: TENANT,
      BOT_OPENID_METADATA_URL: issuer.metadataUrl, AZURE_AUTHORITY_HOST: entra.authorityHost, GRAPH_BASE_URL: graph.url, BOT_ADMINS: admin.aadObjectId,
    });
    seedOutboundToken();
    h.headers = async () => ({ authorization: `Bearer ${await issuer.token({ serviceUrl: h.connector.url })}` });
    await createProgramme(h, admin);
    await h.say(admin, 'programme open');
  });
  afterAll(async () => {
    await h?.stop();
    await graph?.stop();
    await issuer?.stop();
    await entra?.stop();
    untrust?.();
  });

  it('the profile form comes from Entra ID through a client-credentials token the stand-in accepted', async () => {
    const [form] = await h.say(dana, 'join');
    expect(textOf(form)).toContain('Vertriebsleiterin');
    expect(inputIds(form)).not.toContain('department');
    const grants = entra.log.filter((r) => r.grant === 'client_credentials');
    expect(grants[0]).toMatchObject({ clientId: BOT_APP_ID, tenant: TENANT, scope: 'https://graph.microsoft.com/.default', status: 200 });
    const calls = graph.log.filter((r) => r.url.startsWith(`/users/${dana.aadObjectId}`));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((r) => r.status === 200 && /^Bearer eyJ/.test(r.authorization ?? ''))).toBe(true);
  });

  it('a wrong client secret gets no token: the form says the directory cannot be reached and asks instead', async () => {
    entra.register({ clientId: BOT_APP_ID, secret: 'rotated-elsewhere', roles: ROLES });
    try {
      await h.restart(); // a new credential: no token cached
      h.headers = async () => ({ authorization: `Bearer ${await issuer.token({ serviceUrl: h.connector.url })}` });
      const [form] = await h.say(tom, 'join');
      expect(textOf(form)).toMatch(/company directory \(Entra ID\) cannot be reached/);
      expect(inputIds(form)).toEqual(expect.arrayContaining(['department']));
      expect(entra.log.some((r) => r.status === 401 && r.error === 'invalid_client 7000215')).toBe(true);
    } finally {
      entra.register({ clientId: BOT_APP_ID, secret: SECRET, roles: ROLES });
      await h.restart();
      h.headers = async () => ({ authorization: `Bearer ${await issuer.token({ serviceUrl: h.connector.url })}` });
    }
    const [form] = await h.say(tom, 'join');
    expect(textOf(form)).toContain('Legal');
  });

  it('without MailboxSettings.Read granted, the department still comes from Entra and the time zone is asked', async () => {
    entra.register({ clientId: BOT_APP_ID, secret: SECRET, roles: ['User.Read.All'] });
    const nia = user('Nia Noroles');
    graph.seed({ users: [entraUser(nia, { department: 'Logistics' })], groups: [] });
    try {
      await h.restart();
      h.headers = async () => ({ authorization: `Bearer ${await issuer.token({ serviceUrl: h.connector.url })}` });
      const [form] = await h.say(nia, 'join');
      expect(textOf(form)).toContain('Logistics');
      expect(inputIds(form)).toContain('timeZone');
      expect(graph.log.some((r) => r.url.includes(nia.aadObjectId) && r.status === 403)).toBe(true);
    } finally {
      entra.register({ clientId: BOT_APP_ID, secret: SECRET, roles: ROLES });
    }
  });

  describe("the Graph stand-in refuses tokens Graph would refuse, with Graph's answers", () => {
    const get = async (token: string | undefined, path = `/v1.0/users/${dana.aadObjectId}?$select=id,department`) => {
      const res = await fetch(`${graph.url}${path}`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string }; department?: string }, challenge: res.headers.get('www-authenticate') };
    };
    const app = (over: Record<string, unknown> = {}) => ({ tid: TENANT, oid: 'sp-bot', appid: BOT_APP_ID, idtyp: 'app', roles: ROLES, ...over });

    it('a valid app-only token with User.Read.All reads the person', async () => {
      const r = await get(await entra.graphToken(app()));
      expect(r).toMatchObject({ status: 200, body: { department: 'Vertrieb' } });
    });

    it.each([
      ['no token', async () => undefined, /Access token is empty/],
      ['not a JWT', async () => 'garbage', /Invalid signature/],
      ['expired', async () => entra.graphToken(app(), { expiresIn: -600 }), /Invalid signature or the token has expired/],
      ['for another resource (audience)', async () => entra.graphToken(app(), { audience: 'api://someone-else' }), /Invalid audience/],
      ['of another tenant', async () => entra.graphToken(app({ tid: OTHER_TENANT })), /Invalid issuer or tenant/],
    ])('401 InvalidAuthenticationToken: %s', async (_name, token, message) => {
      const r = await get(await token());
      expect(r.status).toBe(401);
      expect(r.body.error).toMatchObject({ code: 'InvalidAuthenticationToken', message: expect.stringMatching(message) });
      expect(r.challenge).toMatch(/^Bearer realm=""/);
    });

    it('a forged token (signed by a key the issuer never published) is refused', async () => {
      const other = await startEntra();
      try {
        const r = await get(await other.graphToken(app()));
        expect(r.status).toBe(401);
        expect(r.body.error?.code).toBe('InvalidAuthenticationToken');
      } finally {
        await other.stop();
      }
    });

    it('403: an app token without the role, a delegated token for another user\'s calendar', async () => {
      const noRole = await get(await entra.graphToken(app({ roles: [] })));
      expect(noRole).toMatchObject({ status: 403, body: { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.' } } });
      const delegated = await entra.graphToken({ tid: TENANT, oid: tom.aadObjectId, idtyp: 'user', scp: 'Calendars.ReadWrite' });
      const other = await get(delegated, `/v1.0/users/${dana.aadObjectId}/calendarView?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-01-08T00:00:00Z`);
      expect(other).toMatchObject({ status: 403, body: { error: { code: 'ErrorAccessDenied' } } });
      const own = await get(delegated, `/v1.0/me/calendarView?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-01-08T00:00:00Z`);
      expect(own.status).toBe(200);
      const appMe = await get(await entra.graphToken(app()), '/v1.0/me/calendarView?startDateTime=2027-01-01T00:00:00Z&endDateTime=2027-01-08T00:00:00Z');
      expect(appMe).toMatchObject({ status: 400, body: { error: { message: '/me request is only valid with delegated authentication flow.' } } });
    });
  });
});
