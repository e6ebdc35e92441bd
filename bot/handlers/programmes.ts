// Admin commands for programmes: new, list, open (with a Join card in a channel), close.
import { escapeMarkdown, renderCard } from '../cards/render';
import { COMMON_TIME_ZONES, readProgrammeForm } from '../domain/programme';
import type { Programme, ProgrammeStatus } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { isAdmin } from '../services/admins';
import { listProgrammes, newId, participantsOf, pickProgramme, transition } from '../services/programmes';
import type { Services } from '../services/services';
import { AlreadyExistsError } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { notice, onCommand, onSubmit } from './router';
import type { Turn } from './turn';
import { dates, levelChoices, levelsLabel, problemsCard, statusLabel, weekdayChoices } from './views';

/** Finds the programme a command is about, or answers why it can't and returns undefined. */
export async function programmeFor(turn: Turn, svc: Services, args: string, statuses: ProgrammeStatus[]): Promise<Programme | undefined> {
  const pick = await pickProgramme(svc, turn.tenantId, args, statuses);
  if (pick.kind === 'found') return pick.programme;
  const L = turn.locale;
  const text =
    pick.kind === 'notFound'
      ? t(L, 'programme.notFound', { name: escapeMarkdown(pick.name) })
      : pick.kind === 'ambiguous'
        ? t(L, 'programme.whichOpen', { names: pick.candidates.map((p) => `"${escapeMarkdown(p.name)}"`).join(', ') })
        : t(L, 'programme.noneInState', { statuses: statuses.map((s) => statusLabel(L, s)).join(', ') });
  await turn.send(notice(turn, text, '', 'error'));
  return undefined;
}

export function programmeCard(turn: Pick<Turn, 'locale'>, p: Programme) {
  const L = turn.locale;
  return renderCard(
    'programme-card',
    {
      title: t(L, 'programme.cardTitle', { name: escapeMarkdown(p.name) }),
      objectives: escapeMarkdown(p.objectives),
      dates: dates(L, p),
      levels: levelsLabel(L, p.levels),
      nominated: p.enrolment === 'nominated',
      programmeId: p.id,
    },
    L,
  );
}

onCommand('programmeNew', async (turn) => {
  const L = turn.locale;
  const today = new Date();
  const plus = (days: number) => new Date(today.getTime() + days * 86400000).toISOString().slice(0, 10);
  await turn.send(
    renderCard(
      'programme-form',
      {
        formId: newId(),
        name: '',
        objectives: '',
        startDate: plus(7),
        endDate: plus(7 + 182),
        levels: '1,2',
        cadenceWeeks: '1',
        maxMenteesPerMentor: 2,
        timeZone: 'Europe/Berlin',
        levelChoices: levelChoices(L),
        weekdayChoices: weekdayChoices(L),
        timeZoneChoices: COMMON_TIME_ZONES.map((z) => ({ title: z, value: z })),
      },
      L,
    ),
  );
});

onSubmit('programme.create', async (turn, svc, value) => {
  // Submits reach us without the router's command check: check admin rights here too.
  if (!(await isAdmin(svc.store, turn.tenantId, turn.userId))) {
    await turn.send(notice(turn, t(turn.locale, 'common.notAdmin', { command: 'programme new' }), '', 'error'));
    return;
  }
  const ids = new Reader(value);
  const formId = ids.id('formId', { required: true });
  const { value: fields, problems } = readProgrammeForm(value);
  if (!formId || !fields) {
    await turn.send(problemsCard(turn, [...ids.problems, ...problems]));
    return;
  }
  // The form id is the programme id: a second press of the same button finds it taken.
  const programme: Programme = {
    ...fields,
    tenantId: turn.tenantId,
    id: formId,
    status: 'draft',
    createdBy: turn.userId,
    createdAt: svc.now().toISOString(),
  };
  try {
    await svc.store.programmes.create(programme);
  } catch (err) {
    if (err instanceof AlreadyExistsError) {
      await turn.send(notice(turn, t(turn.locale, 'programme.alreadyCreated')));
      return;
    }
    throw err;
  }
  const summary = notice(
    turn,
    t(turn.locale, 'programme.created', { name: escapeMarkdown(programme.name) }),
    t(turn.locale, 'programme.createdNext', { name: escapeMarkdown(programme.name) }),
    'success',
  );
  if (turn.replyToId) await turn.update(turn.replyToId, summary).catch(() => turn.send(summary));
  else await turn.send(summary);
});

onCommand('programmes', async (turn, svc) => {
  const L = turn.locale;
  const programmes = await listProgrammes(svc, turn.tenantId);
  const rows = await Promise.all(
    programmes.slice(0, 20).map(async (p) => {
      const people = await participantsOf(svc, p);
      const pairs = await svc.store.pairs.list(programmePartition(p.tenantId, p.id), "status eq 'active' or status eq 'paused'");
      const counted = people.filter((x) => x.status === 'active' || x.status === 'paused');
      return {
        name: escapeMarkdown(p.name),
        status: statusLabel(L, p.status),
        dates: dates(L, p),
        levels: levelsLabel(L, p.levels),
        enrolment: t(L, `enrolment.${p.enrolment}`),
        people: t(L, 'programme.people', {
          mentors: counted.filter((x) => x.role === 'mentor').length,
          mentees: counted.filter((x) => x.role === 'mentee').length,
          pairs: pairs.length,
        }),
      };
    }),
  );
  await turn.send(renderCard('programme-list', { programmes: rows }, L));
});

onCommand('programmeOpen', async (turn, svc, args) => {
  const L = turn.locale;
  const p = await programmeFor(turn, svc, args, ['draft']);
  if (!p) return;
  const inChannel = turn.scope !== 'personal';
  const moved = await transition(svc, turn.tenantId, p.id, 'open', inChannel ? { channelConversationId: turn.conversationId } : {});
  if (!moved.ok) {
    const cur = moved.current ?? p;
    await turn.send(notice(turn, t(L, 'programme.cannotMove', { name: escapeMarkdown(cur.name), status: statusLabel(L, cur.status), target: statusLabel(L, 'open') }), '', 'error'));
    return;
  }
  const name = escapeMarkdown(p.name);
  if (inChannel) {
    await turn.send(programmeCard(turn, moved.programme));
    await turn.send(notice(turn, t(L, 'programme.opened', { name }), t(L, 'programme.openedChannel'), 'success'));
  } else {
    await turn.send(notice(turn, t(L, 'programme.opened', { name }), t(L, 'programme.openedHint'), 'success'));
  }
});

/** Set by the check-in feature: asks both sides of every pair for feedback when a programme closes. */
export let onProgrammeClosing: (svc: Services, programme: Programme) => Promise<void> = async () => undefined;
export function setOnProgrammeClosing(fn: typeof onProgrammeClosing): void {
  onProgrammeClosing = fn;
}

onCommand('programmeClose', async (turn, svc, args) => {
  const L = turn.locale;
  const p = await programmeFor(turn, svc, args, ['open', 'matching', 'running']);
  if (!p) return;
  const moved = await transition(svc, turn.tenantId, p.id, 'closing');
  if (!moved.ok) {
    const cur = moved.current ?? p;
    await turn.send(notice(turn, t(L, 'programme.cannotMove', { name: escapeMarkdown(cur.name), status: statusLabel(L, cur.status), target: statusLabel(L, 'closing') }), '', 'error'));
    return;
  }
  await onProgrammeClosing(svc, moved.programme);
  await turn.send(notice(turn, t(L, 'programme.closed', { name: escapeMarkdown(p.name) }), '', 'success'));
});
