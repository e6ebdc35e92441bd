// The tab's API under /api/ (identity from a verified Teams SSO token only). Every route resolves
// the caller first; the user id in a URL or body only names whose data is asked for, and is
// checked against the caller's rights. Answers are the shapes of bot/contract/tabApi.ts.
import type { Request, Response } from 'restify';
import type {
  AppConfig, CatalogueVersionUnknown, Dashboard, KnowledgeMapView, LocalUser, Me, MenteeLadder, MyProgress, OutcomeReport, PersonalLadder, ProgrammeList, ProgrammeOverview, ProgressSaved,
} from '../contract/tabApi';
import { catalogueVersion, findTutorial } from '../domain/ladder';
import { LOCALES, Locale, Programme, TutorialStatus } from '../domain/types';
import { isAdmin } from '../services/admins';
import { collectPersonalData } from '../services/data';
import { localUsers } from '../services/localUsers';
import { getPair } from '../services/pairs';
import { isLive, participantIn } from '../services/participants';
import { getProgramme, listProgrammes } from '../services/programmes';
import { setProgress } from '../services/progress';
import type { ApiRegistrar } from '../server';
import { catalogueAnswer, isLocale } from '../views/catalogue';
import { dashboard, dashboardCsv } from '../views/dashboard';
import { menteeLadder, personalLadder, withoutFreeText } from '../views/ladders';
import { me, memberships } from '../views/me';
import { myProgress, outcomeCsv, outcomeReport } from '../views/outcome';
import { t } from '../i18n/i18n';
import { programmeFigures, ProgrammeFigures, programmeKnowledgeMap, programmeOverview } from '../views/overview';
import { createAuthenticator, Identity, localMode } from './auth';
import { AnswerCache, CachedBody, FIGURES_TTL_MS, FiguresCache, SharedCache } from './cache';
import { badRequest, forbidden, handle, notFound } from './http';
import { registerSessionRoutes } from './sessionRoutes';

const STATUSES: readonly TutorialStatus[] = ['not-started', 'in-progress', 'done'];
const ID = /^[A-Za-z0-9._:@-]{1,128}$/;

function localeOf(req: Request): Locale {
  const q = typeof req.query?.locale === 'string' ? req.query.locale : '';
  const raw = (q || req.header('accept-language') || 'en').slice(0, 2).toLowerCase();
  return (LOCALES as readonly string[]).includes(raw) ? (raw as Locale) : 'en';
}

function idParam(value: unknown, what: string): string {
  if (typeof value !== 'string' || !ID.test(value)) throw badRequest(`${what} is missing or not valid.`);
  return value;
}

const GZIP_FROM_BYTES = 8 * 1024;

/** A tutorial's progress: a few short strings. */
const PROGRESS_BODY = { maxBytes: 4 * 1024, maxDepth: 2 };

export const registerApi: ApiRegistrar = (routes, svc) => {
  const authenticate = createAuthenticator(svc.config);
  const shared = new SharedCache(svc);
  const answers = new AnswerCache(svc.store, svc.config.apiCacheMs);
  const figures = new FiguresCache<ProgrammeFigures>(svc.config.apiCacheMs && FIGURES_TTL_MS);

  /**
   * Sends a serialised answer, gzipped when the client takes it and it is worth it: from 8 KB. A
   * smaller one (a ladder: 4 KB) is computed for one caller and sent once or twice, and compressing
   * it would cost more of the server than the 3 KB it saves cost the network.
   */
  const send = (req: Request, res: Response, body: CachedBody, headers: Record<string, string> = {}) => {
    const gzip = body.json.length > GZIP_FROM_BYTES && /\bgzip\b/.test(req.header('accept-encoding') ?? '');
    const bytes = gzip ? body.gzip() : body.json;
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length, Vary: 'Accept-Encoding', ...headers,
      ...(gzip ? { 'Content-Encoding': 'gzip' } : {}),
    });
    res.end(bytes);
  };

  /** A GET whose answer is personal to the caller and may be reused until the tenant's next write. */
  const cachedGet = <T>(path: string, question: (req: Request) => string, fn: (req: Request, who: Identity) => Promise<T>) =>
    routes.get(
      path,
      handle(async (req, res) => {
        const who = await authenticate(req);
        send(req, res, await answers.get(who.tenantId, `${who.userId}\n${question(req)}`, () => fn(req, who)));
      }),
    );

  const get = <T>(path: string, fn: (req: Request, who: Identity) => Promise<T>) =>
    routes.get(path, handle(async (req, res) => res.json(200, await fn(req, await authenticate(req)))));

  const admin = (who: Identity): Promise<boolean> => isAdmin(svc, who.tenantId, who.userId);

  /** The programme, if the caller may see it: admins always; others once it is past draft. */
  async function visibleProgramme(who: Identity, programmeId: string): Promise<Programme> {
    const p = await shared.programme(who.tenantId, programmeId);
    if (!p) throw notFound('There is no such programme.');
    if (p.status === 'draft' && !(await admin(who))) throw notFound('There is no such programme.');
    return p;
  }

  async function adminProgramme(who: Identity, programmeId: string): Promise<Programme> {
    if (!(await admin(who))) throw forbidden('Only programme admins can see this.', 'not-admin');
    const p = await getProgramme(svc, who.tenantId, programmeId);
    if (!p) throw notFound('There is no such programme.');
    return p;
  }

  // Public: tells the page whether it may offer the local identity switcher.
  routes.get(
    '/api/config',
    handle(async (_req, res) => {
      const config: AppConfig = {
        localMode: localMode(svc.config), locales: LOCALES, botId: svc.config.appId || undefined, tabAppId: svc.config.tabAppId || undefined, catalogue: catalogueVersion(),
      };
      res.json(200, config);
    }),
  );

  // Local mode only: who the switcher may offer. With an Entra app configured the route does not exist.
  if (localMode(svc.config)) {
    routes.get(
      '/api/local/users',
      handle(async (req, res) => {
        const tenant = typeof req.query?.tenant === 'string' && ID.test(req.query.tenant) ? req.query.tenant : undefined;
        const users: LocalUser[] = await localUsers(svc, tenant);
        res.json(200, { users });
      }),
    );
  }

  get('/api/me', (_req, who): Promise<Me> => me(svc, who.tenantId, who.userId, admin(who), who.mode, who.name));

  // Ladder answers carry no words, so they are the same in every language.
  const ladderQuestion = (req: Request) => `${req.path()}?${req.query?.programme}`;

  cachedGet('/api/me/ladder', ladderQuestion, async (req, who): Promise<PersonalLadder> => {
    const programmeId = idParam(req.query?.programme, 'programme');
    const [programme, participants, pairs, checkins] = await Promise.all([
      visibleProgramme(who, programmeId),
      shared.participants(who.tenantId, programmeId),
      shared.pairs(who.tenantId, programmeId),
      shared.checkins(who.tenantId, programmeId),
    ]);
    // Not among the (a few seconds old) participants, or left: ask storage, the caller may have just (re)joined.
    let mine = participants.get(who.userId);
    if (!mine || mine.status === 'left') mine = await participantIn(svc, who.tenantId, programmeId, who.userId);
    if (!mine || mine.status === 'left') throw forbidden('You are not part of this programme.', 'not-participant');
    return personalLadder(svc, programme, mine, { participants, pairs, checkins });
  });

  cachedGet('/api/mentees/:userId/ladder', ladderQuestion, async (req, who): Promise<MenteeLadder> => {
    const menteeId = idParam(req.params.userId, 'user');
    const programmeId = idParam(req.query?.programme, 'programme');
    const programme = await visibleProgramme(who, programmeId);
    const pair = await getPair(svc, programme, who.userId, menteeId);
    if (!(pair?.status === 'active') && !(await admin(who))) {
      throw forbidden('This ladder belongs to someone else. Only their mentor and programme admins can see it.', 'not-your-mentee');
    }
    const mentee = await participantIn(svc, who.tenantId, programmeId, menteeId);
    if (!mentee || mentee.role !== 'mentee') throw notFound('There is no such mentee in this programme.');
    // Only the mentor may change the ladder; an admin reads its statuses, never what the mentee wrote.
    const view = await menteeLadder(svc, programme, mentee, { checkins: await shared.checkins(who.tenantId, programmeId) });
    return pair?.status === 'active' ? { ...view, canEdit: true } : { ...withoutFreeText(view), canEdit: false };
  });

  // The caller's own change (start -> end): there is no id in it, so it can only ever be theirs.
  get('/api/me/progress', async (req, who): Promise<MyProgress> => {
    const programmeId = idParam(req.query?.programme, 'programme');
    const programme = await visibleProgramme(who, programmeId);
    const mine = await participantIn(svc, who.tenantId, programmeId, who.userId);
    if (!mine || mine.status === 'nominated') throw forbidden('You are not part of this programme.', 'not-participant');
    return myProgress(svc, programme, mine, localeOf(req));
  });

  // The tutorial catalogue of the loaded version, in one language: the same for everyone who may
  // use the tab, and never different under the same address, so the browser keeps it for a year
  // (behind the SSO gate like every /api route: a company's catalogue is its own, hence private).
  // Serialised and compressed once per version and language.
  const catalogues = new Map<string, { body: CachedBody; etag: string }>();
  const publishedCatalogue = (version: string, locale: Locale) => {
    const k = `${version}/${locale}`;
    let c = catalogues.get(k);
    if (!c) {
      const answer = catalogueAnswer(version, locale);
      if (!answer) return undefined;
      if (catalogues.size >= 3 * LOCALES.length) catalogues.clear(); // an older version (tests reload the catalogue)
      // Weak: the plain and the gzipped answer are the same content, not the same bytes.
      c = { body: new CachedBody(answer, 9), etag: `W/"${version}-${locale}"` };
      c.body.gzip();
      catalogues.set(k, c);
    }
    return c;
  };
  for (const locale of LOCALES) publishedCatalogue(catalogueVersion(), locale);

  routes.get(
    '/api/catalogue/:version/:locale',
    handle(async (req, res) => {
      await authenticate(req);
      const { version, locale } = req.params as { version: string; locale: string };
      if (!isLocale(locale)) throw notFound(`There is no tutorial catalogue in that language; there is one in ${LOCALES.join(', ')}.`);
      const c = publishedCatalogue(version, locale);
      if (!c) {
        const gone: CatalogueVersionUnknown = {
          error: 'catalogue-version-unknown', message: 'This version of the tutorial catalogue is not served here; ask for the current one.', current: catalogueVersion(),
        };
        return void res.json(404, gone);
      }
      const caching = { 'Cache-Control': CATALOGUE_CACHING, ETag: c.etag };
      if (matches(req.header('if-none-match'), c.etag)) {
        res.writeHead(304, { ...caching, Vary: 'Accept-Encoding' });
        return void res.end();
      }
      send(req, res, c.body, caching);
    }),
  );

  routes.post(
    '/api/progress',
    PROGRESS_BODY,
    handle(async (req, res) => {
      const who = await authenticate(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const programmeId = idParam(body.programme, 'programme');
      const tutorialId = typeof body.tutorialId === 'string' ? body.tutorialId : '';
      const status = body.status as TutorialStatus;
      if (!STATUSES.includes(status)) throw badRequest(`status must be one of ${STATUSES.join(', ')}.`);
      const tutorial = tutorialId ? findTutorial(tutorialId, 'en') : undefined;
      if (!tutorial) throw badRequest('There is no such tutorial in the catalogue.');
      const programme = await visibleProgramme(who, programmeId);
      if (!programme.levels.includes(tutorial.level)) throw badRequest('This tutorial is not part of the programme.');
      let target = who.userId;
      if (body.menteeId !== undefined && body.menteeId !== who.userId) {
        target = idParam(body.menteeId, 'menteeId');
        const pair = await getPair(svc, programme, who.userId, target);
        if (pair?.status !== 'active') throw forbidden('Only the mentee and their mentor can change this ladder.', 'not-your-mentee');
      } else {
        const mine = await participantIn(svc, who.tenantId, programmeId, who.userId);
        if (!mine || mine.role !== 'mentee' || mine.status === 'left') throw forbidden('Only mentees of this programme keep a ladder here.', 'not-mentee');
      }
      await setProgress(svc, who.tenantId, target, tutorial.id, status);
      const saved: ProgressSaved = { userId: target, tutorialId: tutorial.id, status };
      res.json(200, saved);
    }),
  );

  get('/api/programmes', async (_req, who): Promise<ProgrammeList> => {
    const [isAdm, all, mineRows] = await Promise.all([admin(who), listProgrammes(svc, who.tenantId), memberships(svc, who.tenantId, who.userId)]);
    const mine = new Map(mineRows.map((m) => [m.programme.id, m.participant.role]));
    const shown = isAdm ? all : all.filter((p) => mine.has(p.id) || (p.status === 'open' && p.enrolment === 'open'));
    return {
      isAdmin: isAdm,
      programmes: shown.map((p) => ({
        id: p.id, name: p.name, status: p.status, startDate: p.startDate, endDate: p.endDate, enrolment: p.enrolment, levels: p.levels, myRole: mine.get(p.id),
      })),
    };
  });

  get('/api/programmes/:id', async (req, who): Promise<ProgrammeOverview> => {
    const programme = await visibleProgramme(who, idParam(req.params.id, 'programme'));
    const locale = localeOf(req);
    const key = `${who.tenantId}\n${programme.id}\n${locale}`;
    return programmeOverview(svc, programme, locale, who.userId, admin(who), figures.get(key, () => programmeFigures(svc, programme, locale)));
  });

  // The programme's own people and its admins; a tenant member outside it learns nothing.
  get('/api/programmes/:id/knowledge-map', async (req, who): Promise<KnowledgeMapView> => {
    const programme = await visibleProgramme(who, idParam(req.params.id, 'programme'));
    if (!(await admin(who)) && !isLive(await participantIn(svc, who.tenantId, programme.id, who.userId))) {
      throw forbidden("Only this programme's participants and admins can see its knowledge map.", 'not-participant');
    }
    return programmeKnowledgeMap(svc, programme, localeOf(req), who.userId);
  });

  get('/api/programmes/:id/dashboard', async (req, who): Promise<Dashboard> => {
    const programme = await adminProgramme(who, idParam(req.params.id, 'programme'));
    return dashboard(svc, programme, localeOf(req));
  });

  // What the programme changed: aggregates only, each from the privacy threshold of people other than the viewer.
  get('/api/programmes/:id/outcome', async (req, who): Promise<OutcomeReport> => {
    const programme = await adminProgramme(who, idParam(req.params.id, 'programme'));
    return outcomeReport(svc, programme, localeOf(req), who.userId);
  });

  routes.get(
    '/api/programmes/:id/outcome.csv',
    handle(async (req, res) => {
      const who = await authenticate(req);
      const programme = await adminProgramme(who, idParam(req.params.id, 'programme'));
      // In English, like the export's column names: a file that travels between teams.
      const report = await outcomeReport(svc, programme, 'en', who.userId);
      const labels = { skill: [0, 1, 2, 3].map((v) => t('en', `skill.${v}`)), business: [0, 1, 2, 3].map((v) => t('en', `business.scale.${v}`)) };
      attachment(res, `reverse-mentor-outcome-${fileSafe(programme.name)}-${day()}.csv`, 'text/csv; charset=utf-8', '\uFEFF' + outcomeCsv(report, labels));
    }),
  );

  routes.get(
    '/api/programmes/:id/export.csv',
    handle(async (req, res) => {
      const who = await authenticate(req);
      const programme = await adminProgramme(who, idParam(req.params.id, 'programme'));
      const csv = dashboardCsv(programme, await dashboard(svc, programme, localeOf(req)));
      // A BOM so spreadsheet programs read UTF-8 names correctly.
      attachment(res, `reverse-mentor-${fileSafe(programme.name)}-${day()}.csv`, 'text/csv; charset=utf-8', '\uFEFF' + csv);
    }),
  );

  // "my data": everything stored about the signed-in person, as one JSON file. Only ever the
  // caller's own: there is no id to name anyone else.
  routes.get(
    '/api/me/data',
    handle(async (req, res) => {
      const who = await authenticate(req);
      const data = await collectPersonalData(svc, who.tenantId, who.userId);
      attachment(res, `reverse-mentor-my-data-${day()}.json`, 'application/json; charset=utf-8', JSON.stringify(data, null, 2));
    }),
  );

  registerSessionRoutes(routes, svc, { authenticate, visibleProgramme });

  const day = () => svc.now().toISOString().slice(0, 10);
};

/** Never changes under its address (the version is a content hash); only the signed-in browser keeps it. */
const CATALOGUE_CACHING = 'private, max-age=31536000, immutable';

/** If-None-Match names this ETag (or `*`), compared weakly as RFC 9110 says for this header. */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const weak = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => t.trim() === '*' || weak(t) === weak(etag));
}

const fileSafe = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 60);

/** A download: never cached, never sniffed, never a referrer. */
function attachment(res: Response, file: string, type: string, text: string): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Disposition': `attachment; filename="${file}"`,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  res.end(body);
}
