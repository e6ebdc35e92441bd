// Joining and profiles (join, profile, pause, leave), nominations (enrol), admins and the
// knowledge map.
import { escapeMarkdown, renderCard } from '../cards/render';
import { knowledgeMap, PRIVACY_THRESHOLD } from '../domain/knowledgeMap';
import { canJoin, COMMON_TIME_ZONES, LANGUAGES, profileDefaults, readProfileForm } from '../domain/programme';
import { Admin, LEVELS, Locale, Participant, Programme, Role } from '../domain/types';
import { Reader } from '../domain/validation';
import { t } from '../i18n/i18n';
import { listAdmins } from '../services/admins';
import { contactOf } from '../services/contacts';
import { endPairsOf, setPairsPaused } from '../services/pairs';
import { getProgramme, listProgrammes, myParticipations, participantIn, participantsOf } from '../services/programmes';
import type { Services } from '../services/services';
import { key } from '../storage/repository';
import { programmePartition } from '../storage/store';
import { programmeFor } from './programmes';
import { notice, onCommand, onSubmit } from './router';
import type { Turn } from './turn';
import { levelChoices, levelsLabel, problemsCard, roleLabel, seniorityChoices, skillChoices, statusLabel, weekdayChoices } from './views';

// ---------------------------------------------------------------- the profile form

interface FormOptions {
  programmes: Programme[];
  existing?: Participant;
  fixedRole?: Role;
  /** The person the form is for: only they may submit it. */
  formFor: string;
  /** The profile's last save (consentAt) when an edit form was made: a save from an older form is refused. */
  version?: string;
}

export function profileForm(locale: Locale, o: FormOptions) {
  const single = o.programmes.length === 1 ? o.programmes[0] : undefined;
  const levels = single ? single.levels : [...LEVELS];
  const name = single ? escapeMarkdown(single.name) : '';
  const defaults = profileDefaults(o.existing);
  const role = o.fixedRole ?? o.existing?.role;
  return renderCard(
    'profile-form',
    {
      title: o.existing ? t(locale, 'join.titleEdit', { name }) : t(locale, 'join.title', { name }),
      intro: t(locale, 'join.intro'),
      programmeChoices: o.programmes.map((p) => ({ title: escapeMarkdown(p.name), value: p.id })),
      fixedProgrammeId: single?.id ?? '',
      roleFixed: !!o.fixedRole,
      roleNote: o.fixedRole ? t(locale, 'join.roleFixed', { role: roleLabel(locale, o.fixedRole) }) : '',
      defaults: { ...defaults, role: role ?? '' },
      seniorityChoices: seniorityChoices(locale),
      languageChoices: LANGUAGES.map((l) => ({ title: l.toUpperCase(), value: l })),
      timeZoneChoices: COMMON_TIME_ZONES.map((z) => ({ title: z, value: z })),
      dayChoices: weekdayChoices(locale),
      skillRows: LEVELS.map((l, i) => ({ id: `skill${l}`, label: levelChoices(locale)[i].title, value: defaults.skills[i] })),
      skillChoices: skillChoices(locale),
      showWant: role !== 'mentor',
      wantChoices: levelChoices(locale, levels),
      formFor: o.formFor,
      version: o.version ?? '',
    },
    locale,
  );
}

/** Programmes this person may join now: open enrolment, or one they were nominated for. */
async function joinable(svc: Services, turn: Turn): Promise<Programme[]> {
  const programmes = (await listProgrammes(svc, turn.tenantId)).filter(canJoin);
  const mine = await Promise.all(programmes.map((p) => participantIn(svc, turn.tenantId, p.id, turn.userId)));
  return programmes.filter((p, i) => {
    const me = mine[i]?.value;
    if (me?.status === 'active' || me?.status === 'paused') return false;
    return p.enrolment === 'open' || me?.status === 'nominated';
  });
}

async function sendJoinForm(turn: Turn, svc: Services, programmes: Programme[]): Promise<void> {
  if (!programmes.length) {
    await turn.send(notice(turn, t(turn.locale, 'join.noOpen')));
    return;
  }
  const nominations = await Promise.all(programmes.map((p) => participantIn(svc, turn.tenantId, p.id, turn.userId)));
  const nominated = programmes.length === 1 && nominations[0]?.value.status === 'nominated' ? nominations[0].value : undefined;
  const form = profileForm(turn.locale, { programmes, fixedRole: nominated?.role, existing: nominated?.department ? nominated : undefined, formFor: turn.userId });
  if (turn.scope === 'personal') {
    await turn.send(form);
    return;
  }
  // Profiles are personal: the form goes to the person's 1:1 chat, not the channel.
  try {
    await svc.notifier.sendToUser(turn.tenantId, turn.userId, form);
    await turn.send(notice(turn, t(turn.locale, 'join.sentPrivately', { person: escapeMarkdown(turn.userName) })));
  } catch {
    await turn.send(notice(turn, t(turn.locale, 'join.installFirst', { person: escapeMarkdown(turn.userName) })));
  }
}

onCommand('join', async (turn, svc) => sendJoinForm(turn, svc, await joinable(svc, turn)));

onSubmit('join.start', async (turn, svc, value) => {
  const r = new Reader(value);
  const id = r.id('programmeId', { required: true });
  const programme = id ? await getProgramme(svc, turn.tenantId, id) : undefined;
  if (!programme) {
    await turn.send(notice(turn, t(turn.locale, 'join.unknownProgramme'), '', 'error'));
    return;
  }
  const options = (await joinable(svc, turn)).filter((p) => p.id === programme.id);
  if (!options.length) {
    const me = await participantIn(svc, turn.tenantId, programme.id, turn.userId);
    if (me && (me.value.status === 'active' || me.value.status === 'paused')) {
      await turn.send(profileCard(turn, [{ programme, participant: me.value }]));
      return;
    }
    const text = !canJoin(programme)
      ? t(turn.locale, 'join.closedProgramme', { name: escapeMarkdown(programme.name), status: statusLabel(turn.locale, programme.status) })
      : t(turn.locale, 'join.notNominated', { name: escapeMarkdown(programme.name) });
    await turn.send(notice(turn, text, '', 'error'));
    return;
  }
  await sendJoinForm(turn, svc, options);
});

onSubmit('profile.save', async (turn, svc, value) => {
  const L = turn.locale;
  // The form names who it was made for; a forged or forwarded form is refused.
  if (value.formFor !== turn.userId) {
    await turn.send(notice(turn, t(L, 'join.notYou'), '', 'error'));
    return;
  }
  const ids = new Reader(value);
  const programmeId = ids.id('programmeId') || ids.id('fixedProgrammeId');
  if (!programmeId) {
    await turn.send(problemsCard(turn, [{ key: 'required', params: { field: 'programmeId' } }]));
    return;
  }
  const programme = await getProgramme(svc, turn.tenantId, programmeId);
  if (!programme) {
    await turn.send(notice(turn, t(L, 'join.unknownProgramme'), '', 'error'));
    return;
  }
  if (!canJoin(programme)) {
    await turn.send(notice(turn, t(L, 'join.closedProgramme', { name: escapeMarkdown(programme.name), status: statusLabel(L, programme.status) }), '', 'error'));
    return;
  }
  const existing = (await participantIn(svc, turn.tenantId, programme.id, turn.userId))?.value;
  if (programme.enrolment === 'nominated' && !existing) {
    await turn.send(notice(turn, t(L, 'join.notNominated', { name: escapeMarkdown(programme.name) }), '', 'error'));
    return;
  }
  // Someone who left may rejoin in any role; their old pairs stay ended.
  const fixedRole = existing && existing.status !== 'left' ? existing.role : undefined;
  const { value: fields, problems } = readProfileForm(value, programme, fixedRole);
  if (!fields) {
    await turn.send(problemsCard(turn, problems));
    return;
  }
  const now = svc.now().toISOString();
  let created = false;
  // An edit form names the save it started from: if the profile was saved since (a second form,
  // another device), this one is refused instead of silently overwriting that save.
  const version = typeof value.version === 'string' ? value.version : '';
  let outdated = false;
  const result = await svc.store.participants.mutate(
    programmePartition(turn.tenantId, programme.id),
    key(turn.userId),
    (cur): Participant | undefined => {
      if (version && (cur?.consentAt ?? '') !== version) {
        outdated = true;
        return undefined;
      }
      created = !cur || cur.status === 'nominated' || cur.status === 'left';
      return {
        ...fields,
        tenantId: turn.tenantId,
        programmeId: programme.id,
        userId: turn.userId,
        name: turn.userName,
        status: cur && cur.status === 'paused' ? 'paused' : 'active',
        nominatedBy: cur?.nominatedBy,
        joinedAt: cur && cur.status !== 'nominated' && cur.status !== 'left' ? cur.joinedAt : now,
        consentAt: now,
        excluded: cur?.excluded ?? [],
      };
    },
  );
  if (outdated) {
    await turn.send(notice(turn, t(L, 'common.conflict'), '', 'error'));
    return;
  }
  const headline = created
    ? t(L, 'join.saved', { name: escapeMarkdown(programme.name), role: roleLabel(L, fields.role) })
    : t(L, 'join.updated', { name: escapeMarkdown(programme.name) });
  const card = profileCard(turn, [{ programme, participant: result.value! }], headline, created ? t(L, 'join.savedNext') : '');
  if (turn.replyToId) await turn.update(turn.replyToId, card).catch(() => turn.send(card));
  else await turn.send(card);
});

// ---------------------------------------------------------------- profile, pause, leave

function profileCard(turn: Turn, rows: Array<{ programme: Programme; participant: Participant }>, headline = '', note = '') {
  const L = turn.locale;
  return renderCard(
    'profile',
    {
      headline,
      note,
      profiles: rows.map(({ programme, participant: p }) => ({
        programmeId: programme.id,
        programmeName: escapeMarkdown(programme.name),
        role: roleLabel(L, p.role),
        status: t(L, `profile.statusValue.${p.status}`),
        department: escapeMarkdown(p.department ?? ''),
        seniority: p.seniority ? t(L, `seniority.${p.seniority}`) : '',
        languages: (p.languages ?? []).map((x) => x.toUpperCase()).join(', '),
        timeZone: p.timeZone ?? '',
        availability: t(L, 'profile.availability', { sessions: p.sessionsPerMonth ?? 0, days: (p.preferredDays ?? []).map((d) => t(L, `weekday.${d}`)).join(', ') }),
        skills: LEVELS.map((l) => `${l}: ${p.skills?.[l - 1] ?? '-'}`).join(' · '),
        wants: p.role === 'mentee' ? levelsLabel(L, p.wantLevels ?? []) : '-',
      })),
    },
    L,
  );
}

onCommand('profile', async (turn, svc) => {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => r.participant.status !== 'left');
  await turn.send(profileCard(turn, mine));
});

onSubmit('profile.edit', async (turn, svc, value) => {
  const id = new Reader(value).id('programmeId', { required: true });
  const programme = id ? await getProgramme(svc, turn.tenantId, id) : undefined;
  const me = programme ? (await participantIn(svc, turn.tenantId, programme.id, turn.userId))?.value : undefined;
  if (!programme || !me || me.status === 'left') {
    await turn.send(notice(turn, t(turn.locale, 'profile.notIn'), '', 'error'));
    return;
  }
  await turn.send(profileForm(turn.locale, { programmes: [programme], existing: me, fixedRole: me.role, formFor: turn.userId, version: me.consentAt ?? '' }));
});

/** The caller's participation the command is about (named, or the only one in `statuses`). */
async function myParticipation(turn: Turn, svc: Services, args: string, statuses: Participant['status'][]) {
  const mine = (await myParticipations(svc, turn.tenantId, turn.userId)).filter((r) => statuses.includes(r.participant.status));
  const name = args.trim().toLowerCase();
  const pick = name ? mine.filter((r) => r.programme.name.toLowerCase() === name) : mine;
  if (pick.length === 1) return pick[0];
  const text = pick.length
    ? t(turn.locale, 'programme.whichOpen', { names: pick.map((r) => `"${escapeMarkdown(r.programme.name)}"`).join(', ') })
    : t(turn.locale, 'profile.notIn');
  await turn.send(notice(turn, text, '', 'error'));
  return undefined;
}

onCommand('pause', async (turn, svc, args) => {
  const mine = await myParticipation(turn, svc, args, ['active', 'paused']);
  if (!mine) return;
  const { programme } = mine;
  const { value } = await svc.store.participants.mutate(programmePartition(turn.tenantId, programme.id), key(turn.userId), (p) =>
    p && (p.status === 'active' || p.status === 'paused') ? { ...p, status: p.status === 'active' ? 'paused' : 'active' } : undefined,
  );
  const paused = value?.status === 'paused';
  await setPairsPaused(svc, programme, turn.userId, paused);
  await turn.send(notice(turn, t(turn.locale, paused ? 'profile.paused' : 'profile.resumed', { name: escapeMarkdown(programme.name) }), '', 'success'));
});

onCommand('leave', async (turn, svc, args) => {
  const mine = await myParticipation(turn, svc, args, ['active', 'paused', 'nominated']);
  if (!mine) return;
  const { programme } = mine;
  // Pairs end first: if storage fails in between, "leave" again still finds the person in and finishes.
  const ended = await endPairsOf(svc, programme, turn.userId);
  await svc.store.participants.mutate(programmePartition(turn.tenantId, programme.id), key(turn.userId), (p) =>
    p && p.status !== 'left' ? { ...p, status: 'left' } : undefined,
  );
  await turn.send(notice(turn, t(turn.locale, 'profile.left', { name: escapeMarkdown(programme.name) }), '', 'success'));
  await tellAdmins(svc, turn.tenantId, (locale) => {
    const partners = ended.map((e) => escapeMarkdown(e.partnerName)).join(', ');
    return t(locale, 'profile.leftAdmin', {
      person: escapeMarkdown(turn.userName),
      name: escapeMarkdown(programme.name),
      pairNote: ended.length ? t(locale, 'profile.leftAdminPair', { partner: partners }) : '',
    });
  });
});

/** A short proactive note to every admin of the tenant, each in their own language. */
export async function tellAdmins(svc: Services, tenantId: string, text: (locale: Locale) => string): Promise<void> {
  const admins = await listAdmins(svc.store, tenantId);
  await Promise.all(
    admins.map(async (a) => {
      const contact = await contactOf(svc.store, tenantId, a.userId);
      const locale = contact?.locale ?? 'en';
      await svc.notifier.sendToUser(tenantId, a.userId, renderCard('notice', { title: text(locale), text: '', tone: 'info', items: [], actions: [] }, locale)).catch(() => undefined);
    }),
  );
}

// ---------------------------------------------------------------- nominations

onCommand('enrol', async (turn, svc, args) => {
  const L = turn.locale;
  const m = /^(?:.*?\s)?as\s+(mentor|mentee)\b\s*(.*)$/.exec(args);
  const person = turn.mentions[0];
  if (!m || !person) {
    await turn.send(notice(turn, t(L, 'enrol.usage'), '', 'error'));
    return;
  }
  const role = m[1] as Role;
  const programme = await programmeFor(turn, svc, m[2], ['open', 'matching', 'running']);
  if (!programme) return;
  const pk = programmePartition(turn.tenantId, programme.id);
  let already: Participant | undefined;
  await svc.store.participants.mutate(pk, key(person.id), (cur) => {
    if (cur && cur.status !== 'left') {
      already = cur;
      return undefined;
    }
    return {
      tenantId: turn.tenantId, programmeId: programme.id, userId: person.id, role, status: 'nominated', nominatedBy: turn.userId,
      name: person.name, department: '', seniority: 'staff', languages: [], timeZone: '', sessionsPerMonth: 0, preferredDays: [],
      skills: [], wantLevels: [], joinedAt: svc.now().toISOString(), excluded: [],
    } as Participant;
  });
  const who_ = escapeMarkdown(person.name);
  if (already) {
    await turn.send(notice(turn, t(L, 'enrol.already', { person: who_, name: escapeMarkdown(programme.name), role: roleLabel(L, already.role) })));
    return;
  }
  let sent = true;
  try {
    const contact = await contactOf(svc.store, turn.tenantId, person.id);
    const locale = contact?.locale ?? L;
    const intro = renderCard(
      'notice',
      {
        title: t(locale, 'enrol.cardTitle', { name: escapeMarkdown(programme.name) }),
        text: t(locale, 'enrol.cardIntro', { admin: escapeMarkdown(turn.userName), role: roleLabel(locale, role), name: escapeMarkdown(programme.name) }),
        tone: 'info', items: [], actions: [],
      },
      locale,
    );
    await svc.notifier.sendToUser(turn.tenantId, person.id, intro);
    await svc.notifier.sendToUser(turn.tenantId, person.id, profileForm(locale, { programmes: [programme], fixedRole: role, formFor: person.id }));
  } catch {
    sent = false;
  }
  await turn.send(
    notice(turn, t(L, 'enrol.done', { person: who_, role: roleLabel(L, role), name: escapeMarkdown(programme.name) }), t(L, sent ? 'enrol.sent' : 'enrol.notSent'), 'success'),
  );
});

// ---------------------------------------------------------------- admins

onCommand('admins', async (turn, svc, args) => {
  const L = turn.locale;
  const verb = args.split(' ')[0];
  const person = turn.mentions[0];
  let note = '';
  if (verb === 'add' || verb === 'remove') {
    if (!person) {
      await turn.send(notice(turn, t(L, 'admins.usage'), '', 'error'));
      return;
    }
    const name = escapeMarkdown(person.name);
    const existing = await svc.store.admins.get(key(turn.tenantId), key(person.id));
    if (verb === 'add') {
      if (existing) note = t(L, 'admins.alreadyAdmin', { person: name });
      else {
        const admin: Admin = { tenantId: turn.tenantId, userId: person.id, name: person.name, addedBy: turn.userId, addedAt: svc.now().toISOString(), source: 'command' };
        await svc.store.admins.upsert(admin);
        note = t(L, 'admins.added', { person: name });
      }
    } else if (!existing) note = t(L, 'admins.notAdmin', { person: name });
    else if (existing.value.source === 'config') note = t(L, 'admins.cannotRemoveConfigured', { person: name });
    else if (person.id === turn.userId) note = t(L, 'admins.cannotRemoveSelf');
    else {
      await svc.store.admins.delete(key(turn.tenantId), key(person.id), existing.etag);
      note = t(L, 'admins.removed', { person: name });
    }
  } else if (args) {
    await turn.send(notice(turn, t(L, 'admins.usage'), '', 'error'));
    return;
  }
  const admins = await listAdmins(svc.store, turn.tenantId);
  const names = await Promise.all(admins.map(async (a) => a.name || (await contactOf(svc.store, turn.tenantId, a.userId))?.name || a.userId));
  await turn.send(
    renderCard(
      'admins',
      {
        note,
        admins: admins.map((a, i) => ({ name: escapeMarkdown(names[i]), detail: a.source === 'config' ? t(L, 'admins.configured') : a.addedAt.slice(0, 10) })),
      },
      L,
    ),
  );
});

// ---------------------------------------------------------------- knowledge map

export function knowledgeMapCard(locale: Locale, programme: Programme, people: Participant[], viewerId: string) {
  const map = knowledgeMap(people, programme.levels, programme.maxMenteesPerMentor, viewerId);
  const L = locale;
  const byDept = map.departments.map((d) => map.cells.filter((c) => c.department === d));
  return renderCard(
    'knowledge-map',
    {
      title: t(L, 'knowledge.title', { name: escapeMarkdown(programme.name) }),
      intro: t(L, 'knowledge.intro', { threshold: PRIVACY_THRESHOLD }),
      columns: [{ width: 2 }, ...map.levels.map(() => ({ width: 1 }))],
      header: [t(L, 'knowledge.department'), ...map.levels.map((l) => `L${l}`)],
      rows: byDept.map((cells, i) => ({
        cells: [
          `${escapeMarkdown(map.departments[i])} (${cells[0]?.total ?? 0})`,
          ...cells.map((c) => (c.counts ? `${c.counts[3]} · ${c.counts[2]} · ${c.counts[1]} · ${c.counts[0]}` : t(L, 'knowledge.hidden', { threshold: PRIVACY_THRESHOLD }))),
        ],
      })),
      scarce: map.supply.filter((s) => s.scarce).map((s) => t(L, 'knowledge.scarce', { level: s.level, wanting: s.menteesWanting, able: s.mentorsAble })),
      supplyHidden: map.supply.some((s) => s.hidden) ? t(L, 'knowledge.supplyHidden', { threshold: PRIVACY_THRESHOLD }) : '',
    },
    L,
  );
}

onCommand('knowledgeMap', async (turn, svc, args) => {
  const programme = await programmeFor(turn, svc, args, ['open', 'matching', 'running', 'closing']);
  if (!programme) return;
  await turn.send(knowledgeMapCard(turn.locale, programme, await participantsOf(svc, programme), turn.userId));
});

