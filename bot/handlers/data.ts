// Data rights: "my data" (a download link to everything stored about you), "forget me" (erase,
// after a confirmation), "export" (admins: a programme's data as CSV), and the download endpoint.
//
// Teams cannot receive a file from a bot in a plain message (only through OneDrive file consent),
// so the bot sends a card with a link to this server: signed, valid 15 minutes, usable once, and
// naming the one person (and tenant) whose data it returns. It goes only to the person's 1:1 chat.
import type { Server } from 'restify';
import { escapeMarkdown, renderCard, type Card } from '../cards/render';
import { PROGRAMME_STATUSES, type Locale, LOCALES } from '../domain/types';
import { t } from '../i18n/i18n';
import { isAdmin } from '../services/admins';
import { contactOf } from '../services/contacts';
import { collectPersonalData, erasePerson, programmeCsv, signLink, useLink } from '../services/data';
import { getProgramme } from '../services/programmes';
import type { Services } from '../services/services';
import { StorageUnavailableError } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { tellAdmins } from './onboarding';
import { programmeFor } from './programmes';
import { notice, onCommand, onSubmit } from './router';
import type { Turn } from './turn';

/** A confirmation card is good for an hour. */
const CONFIRM_TTL_MS = 60 * 60 * 1000;

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

/** Personal things go to the person's 1:1 chat only; in a channel or group chat they are told so. */
async function sendPrivately(turn: Turn, svc: Services, card: Card, command: string): Promise<void> {
  if (turn.scope === 'personal') {
    await turn.send(card);
    return;
  }
  const person = escapeMarkdown(turn.userName);
  try {
    await svc.notifier.sendToUser(turn.tenantId, turn.userId, card);
    await turn.send(notice(turn, t(turn.locale, 'data.sentPrivately', { person })));
  } catch {
    await turn.send(notice(turn, t(turn.locale, 'data.installFirst', { person, command })));
  }
}

// ---------------------------------------------------------------- my data

onCommand('myData', async (turn, svc) => {
  const L = turn.locale;
  const data = await collectPersonalData(svc, turn.tenantId, turn.userId);
  const link = signLink(svc.config, { kind: 'me', tenantId: turn.tenantId, userId: turn.userId, locale: L }, svc.now());
  const count = (n: number) => ({ count: n });
  const items = [
    ...(data.contact ? [t(L, 'data.itemContact')] : []),
    t(L, 'data.itemProgrammes', count(data.programmes.filter((p) => p.participant).length)),
    t(L, 'data.itemPairs', count(data.programmes.reduce((n, p) => n + p.pairs.length, 0))),
    t(L, 'data.itemCheckins', count(data.programmes.reduce((n, p) => n + p.checkins.length, 0))),
    t(L, 'data.itemProgress', count(data.progress.length)),
    ...(data.admin ? [t(L, 'data.itemAdmin')] : []),
  ];
  const card = renderCard(
    'download',
    { title: t(L, 'data.myDataTitle'), text: t(L, 'data.myDataText'), items, note: t(L, 'data.linkNote', { time: hhmm(link.expiresAt) }), button: t(L, 'data.download'), url: link.url },
    L,
  );
  await sendPrivately(turn, svc, card, 'my data');
});

// ---------------------------------------------------------------- forget me

function forgetCard(turn: Turn, svc: Services): Card {
  const L = turn.locale;
  return renderCard(
    'forget-confirm',
    {
      title: t(L, 'data.forgetTitle'),
      text: t(L, 'data.forgetText'),
      items: ['forgetItemProfile', 'forgetItemAnswers', 'forgetItemLadder', 'forgetItemContact'].map((k) => t(L, `data.${k}`)),
      pairs: t(L, 'data.forgetPairs'),
      kept: t(L, 'data.forgetKept'),
      confirm: t(L, 'data.forgetConfirm'),
      cancel: t(L, 'common.cancel'),
      formFor: turn.userId,
      issuedAt: svc.now().toISOString(),
    },
    L,
  );
}

onCommand('forgetMe', async (turn, svc) => sendPrivately(turn, svc, forgetCard(turn, svc), 'forget me'));

/** Replaces the confirmation card by `card` in place, or sends it. */
async function answerInPlace(turn: Turn, card: Card): Promise<void> {
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
}

onSubmit('data.forgetCancel', async (turn) => {
  await answerInPlace(turn, notice(turn, t(turn.locale, 'data.forgetCancelled')));
});

onSubmit('data.forget', async (turn, svc, value) => {
  const L = turn.locale;
  // The card names who it was made for: a forwarded or forged one erases nothing.
  if (value.formFor !== turn.userId) {
    await turn.send(notice(turn, t(L, 'data.forgetNotYou'), '', 'error'));
    return;
  }
  const issued = typeof value.issuedAt === 'string' && value.issuedAt.length < 40 ? Date.parse(value.issuedAt) : NaN;
  const age = svc.now().getTime() - issued;
  if (!Number.isFinite(issued) || age > CONFIRM_TTL_MS || age < -5 * 60 * 1000) {
    await turn.send(notice(turn, t(L, 'data.forgetExpired'), '', 'error'));
    return;
  }
  const result = await erasePerson(svc, turn.tenantId, turn.userId);
  const items = [
    t(L, 'data.forgetDoneDetails', {
      programmes: result.counts.programmes,
      checkins: result.counts.checkins,
      progress: result.counts.progress,
      pairs: result.endedPairs.length,
    }),
    ...(result.configuredAdmin ? [t(L, 'data.forgetConfiguredAdmin')] : []),
  ];
  await answerInPlace(turn, notice(turn, t(L, 'data.forgetDone'), '', 'success', items));

  // Partners and admins hear that the pair ended; nobody hears anything the person wrote.
  const name = escapeMarkdown(turn.userName);
  for (const ended of result.endedPairs) {
    const contact = await contactOf(svc.store, turn.tenantId, ended.partnerId).catch(() => undefined);
    const locale = contact?.locale ?? 'en';
    const text = t(locale, 'data.partnerNote', { partner: name, name: escapeMarkdown(ended.programme.name) });
    await svc.notifier
      .sendToUser(turn.tenantId, ended.partnerId, renderCard('notice', { title: text, text: '', tone: 'info', items: [], actions: [] }, locale))
      .catch(() => undefined);
    await tellAdmins(svc, turn.tenantId, (l) => t(l, 'data.adminNote', { name: escapeMarkdown(ended.programme.name), partner: escapeMarkdown(ended.partnerName) })).catch(
      () => undefined,
    );
  }
});

// ---------------------------------------------------------------- export (admins)

onCommand('export', async (turn, svc, args) => {
  const L = turn.locale;
  const programme = await programmeFor(turn, svc, args, [...PROGRAMME_STATUSES]);
  if (!programme) return;
  const pairs = await svc.store.pairs.list(programmePartition(programme.tenantId, programme.id), "status ne 'proposed' and status ne 'ended'");
  const link = signLink(svc.config, { kind: 'programme', tenantId: turn.tenantId, userId: turn.userId, programmeId: programme.id, locale: L }, svc.now());
  const card = renderCard(
    'download',
    {
      title: t(L, 'data.exportTitle', { name: escapeMarkdown(programme.name) }),
      text: t(L, 'data.exportText', { count: pairs.length }),
      items: [],
      note: t(L, 'data.linkNote', { time: hhmm(link.expiresAt) }),
      button: t(L, 'data.exportButton'),
      url: link.url,
    },
    L,
  );
  await sendPrivately(turn, svc, card, 'export');
});

// ---------------------------------------------------------------- the download endpoint

function attachmentName(s: string): string {
  return s.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 60);
}

/** GET /api/downloads/<signed token>: the file a "my data" or "export" card links to. */
export function registerDataRoutes(server: Server, svc: Services): void {
  // A wildcard, not ":token": route parameters are capped at 100 characters.
  server.get('/api/downloads/*', async (req, res) => {
    const plain = (status: number, text: string) => {
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
      res.end(text + '\n');
    };
    const check = useLink(svc.config, String(req.params?.['*'] ?? ''), svc.now());
    if (!check.ok) {
      plain(check.reason === 'invalid' ? 404 : 410, t('en', `data.link${check.reason[0].toUpperCase()}${check.reason.slice(1)}`));
      return;
    }
    const c = check.claims;
    const L: Locale = (LOCALES as readonly string[]).includes(c.locale ?? '') ? (c.locale as Locale) : 'en';
    try {
      let body: Buffer;
      let type: string;
      let file: string;
      const day = svc.now().toISOString().slice(0, 10);
      if (c.kind === 'me') {
        body = Buffer.from(JSON.stringify(await collectPersonalData(svc, c.tenantId, c.userId), null, 2), 'utf8');
        type = 'application/json; charset=utf-8';
        file = `reverse-mentor-my-data-${day}.json`;
      } else {
        // Admin rights are checked again now: a link outlives nothing it was not entitled to.
        if (!svc.config.botAdmins.includes(c.userId) && !(await isAdmin(svc.store, c.tenantId, c.userId))) {
          plain(403, t(L, 'data.linkRevoked'));
          return;
        }
        const programme = c.programmeId ? await getProgramme(svc, c.tenantId, c.programmeId) : undefined;
        if (!programme) {
          plain(404, t(L, 'data.linkGone'));
          return;
        }
        body = Buffer.from('\uFEFF' + (await programmeCsv(svc, programme)), 'utf8');
        type = 'text/csv; charset=utf-8';
        file = `reverse-mentor-${attachmentName(programme.name)}-${day}.csv`;
      }
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${file}"`,
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
      });
      res.end(body);
    } catch (err) {
      // Nothing was sent: the link stays usable.
      check.release();
      if (err instanceof StorageUnavailableError) plain(503, t(L, 'common.unavailable'));
      else {
        console.error(`[data] download failed: ${(err as Error)?.name}`);
        plain(500, t(L, 'common.error'));
      }
    }
  });
}
