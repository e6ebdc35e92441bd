// Sessions in the calendar: the schedule view (times that suit both people, each shown in both
// zones; book; move one session; cancel the series) and the "Next session" panel of the personal
// tab (the next session with a Join button, or a way to find a time). Nothing is booked until the
// person presses Book.
import { ApiFailure, getJson, postJson } from '../api';
import { h, replace } from '../dom';
import { fmtDate, Key, language, t } from '../i18n';
import type { MySessions, PairSessions, SessionPerson, SessionSlots, SessionTime } from '../types';
import { announce, badge, button, failure, messageBar, section, spinner } from '../ui';
import type { Session } from '../session';

const locale = () => document.documentElement.lang || language();

/** "Tue 8 Dec, 14:00–15:00" in a zone. */
function span(start: string, end: string, zone: string): string {
  const day = new Intl.DateTimeFormat(locale(), { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short' }).format(Date.parse(start));
  const hm = (v: string) => new Intl.DateTimeFormat(locale(), { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(Date.parse(v));
  return `${day}, ${hm(start)}–${hm(end)}`;
}

/** A time for both people: mine, and theirs when their zone differs. */
function bothZones(start: string, end: string, me: SessionPerson, partner: SessionPerson): HTMLElement {
  const mine = span(start, end, me.timeZone);
  const theirs = span(start, end, partner.timeZone);
  return h(
    'span',
    { class: 'slot-time' },
    h('span', { class: 'slot-mine', 'data-zone': me.timeZone }, t('sessions.yourTime', { time: mine })),
    h('span', { class: 'slot-theirs muted', 'data-zone': partner.timeZone }, t('sessions.theirTime', { name: partner.name || t('common.unknownPerson'), time: theirs, zone: partner.timeZone })),
  );
}

const CODES: Record<string, Key> = {
  'consent-required': 'sessions.error.consent',
  'calendar-unavailable': 'sessions.error.down',
  'calendar-off': 'sessions.error.off',
  'slot-taken': 'sessions.error.taken',
  'not-organiser': 'sessions.error.notOrganiser',
  'not-your-pair': 'sessions.error.notYourPair',
  'booking-in-progress': 'sessions.error.inProgress',
  'no-address': 'sessions.error.noAddress',
  'pair-not-active': 'sessions.error.notActive',
  'programme-over': 'sessions.error.over',
};

/** A failure of the sessions API as the person should read it; a missing consent is a prompt, not an error. */
function problem(e: unknown): HTMLElement {
  if (e instanceof ApiFailure && CODES[e.code]) {
    const consent = e.code === 'consent-required';
    return messageBar(consent ? 'info' : e.status >= 500 ? 'error' : 'warning', t(consent ? 'sessions.consentTitle' : 'sessions.problemTitle'), t(CODES[e.code]));
  }
  return failure(e);
}

const scheduleUrl = (programmeId: string, partnerId: string, occurrence?: string) => {
  const p = new URLSearchParams(location.search);
  p.set('view', 'schedule');
  p.set('programme', programmeId);
  p.set('partner', partnerId);
  if (occurrence) p.set('occurrence', occurrence);
  else p.delete('occurrence');
  return `${location.pathname}?${p.toString()}`;
};

const ladderUrl = () => {
  const p = new URLSearchParams(location.search);
  for (const k of ['view', 'partner', 'occurrence']) p.delete(k);
  return `${location.pathname}?${p.toString()}`;
};

function joinButton(s: Session, url: string | undefined): HTMLElement | null {
  if (!url) return null;
  return button(t('sessions.join'), () => (s.host ? void s.host.openLink(url) : void window.open(url, '_blank', 'noopener')), { appearance: 'primary', attrs: { 'data-action': 'join-meeting' } });
}

function responseBadge(p: PairSessions): HTMLElement | null {
  if (p.organizer !== 'me' || !p.partnerResponse || p.partnerResponse === 'none') return null;
  const name = p.partner.name || t('common.unknownPerson');
  if (p.partnerResponse === 'declined') return badge(t('sessions.declined', { name }), 'danger', 'filled');
  if (p.partnerResponse === 'accepted') return badge(t('sessions.accepted', { name }), 'success');
  return badge(t('sessions.tentative', { name }), 'warning');
}

/** The "Next session" panel of the personal tab: one line per pair (a mentor may have several). */
export function nextSessionPanel(s: Session, programmeId: string, fallback: string | undefined, only?: string): HTMLElement {
  const box = h('div', { class: 'next-session', 'data-ready': 'sessions-loading' }, spinner(t('common.loading')));
  void (async () => {
    let data: MySessions;
    try {
      data = await getJson<MySessions>(`/api/me/sessions?programme=${encodeURIComponent(programmeId)}`);
    } catch (e) {
      replace(box, problem(e));
      return;
    }
    const pairs = data.pairs.filter((p) => !only || p.partnerId === only);
    if (!data.calendar || !pairs.length) {
      replace(box, h('p', { class: fallback ? 'big' : 'muted' }, fallback ?? t('ladder.noSession')));
      box.setAttribute('data-ready', 'sessions');
      return;
    }
    replace(box, ...pairs.map((p) => pairLine(s, p, pairs.length > 1 || !!only)));
    box.setAttribute('data-ready', 'sessions');
  })();
  return box;
}

function pairLine(s: Session, p: PairSessions, named: boolean): HTMLElement {
  const who = named ? h('p', { class: 'muted' }, t('sessions.with', { name: p.partner.name || t('common.unknownPerson') })) : null;
  const find = button(p.status === 'booked' ? t('sessions.change') : t('sessions.findTime'), () => void (location.href = scheduleUrl(p.programmeId, p.partnerId)), {
    appearance: p.status === 'booked' ? 'secondary' : 'primary', attrs: { 'data-action': 'find-time' },
  });
  if (p.status === 'booked' && p.next) {
    return h('div', { class: 'pair-session', 'data-partner': p.partnerId },
      who,
      h('p', { class: 'big', 'data-next-session': p.next.start }, bothZones(p.next.start, p.next.end, p.me, p.partner)),
      responseBadge(p),
      p.stale ? h('p', { class: 'muted' }, t('sessions.stale')) : null,
      h('div', { class: 'actions' }, joinButton(s, p.joinUrl), find),
    );
  }
  return h('div', { class: 'pair-session', 'data-partner': p.partnerId }, who, h('p', { class: 'muted' }, t(p.status === 'cancelled' ? 'sessions.cancelledNone' : 'sessions.none')), h('div', { class: 'actions' }, find));
}

/** The schedule view: ?view=schedule&programme=&partner=[&occurrence=] */
export async function renderSchedule(root: HTMLElement, s: Session): Promise<void> {
  const programmeId = s.params.get('programme') ?? '';
  const partnerId = s.params.get('partner') ?? '';
  const occurrence = s.params.get('occurrence') ?? undefined;
  const title = h('h1', { tabindex: '-1' }, t('sessions.title'));
  const back = h('a', { href: ladderUrl(), class: 'back' }, t('sessions.back'));
  const body = h('div', { class: 'stack', 'data-ready': 'schedule-loading' }, spinner(t('common.loading')));
  replace(root, h('div', { class: 'page-head' }, back, title), body);
  let mine: PairSessions | undefined;
  try {
    mine = (await getJson<MySessions>(`/api/me/sessions?programme=${encodeURIComponent(programmeId)}`)).pairs.find((p) => p.partnerId === partnerId);
  } catch (e) {
    replace(body, problem(e));
    return;
  }
  if (!mine) {
    replace(body, messageBar('warning', t('sessions.problemTitle'), t('sessions.error.notYourPair')));
    return;
  }
  title.textContent = t('sessions.titleWith', { name: mine.partner.name || t('common.unknownPerson') });
  if (mine.status === 'booked' && !occurrence) return void replace(body, ...bookedParts(s, mine, body));
  await proposals(s, body, mine, occurrence);
}

function bookedParts(s: Session, p: PairSessions, body: HTMLElement): HTMLElement[] {
  body.setAttribute('data-ready', 'schedule');
  const organiser = p.organizer === 'me';
  const list = h('ul', { class: 'sessions' }, p.upcoming.map((o: SessionTime) =>
    h('li', { class: 'session', 'data-start': o.start, 'data-original': o.originalStart },
      bothZones(o.start, o.end, p.me, p.partner),
      o.kind === 'moved' ? [' ', badge(t('sessions.moved'), 'informative')] : null,
      organiser ? button(t('sessions.move'), () => void (location.href = scheduleUrl(p.programmeId, p.partnerId, o.originalStart)), { appearance: 'subtle', size: 'small', attrs: { 'data-action': 'move' } }) : null,
    )));
  const cancel: HTMLElement | null = organiser
    ? button(t('sessions.cancelAll'), async () => {
        if (!window.confirm(t('sessions.cancelConfirm', { name: p.partner.name || t('common.unknownPerson') }))) return;
        cancel?.setAttribute('disabled', '');
        try {
          const after = await postJson<PairSessions>('/api/sessions/cancel', { programme: p.programmeId, partner: p.partnerId });
          announce(t('sessions.cancelledDone'));
          replace(body, messageBar('success', t('sessions.cancelledDone'), t('sessions.cancelledText', { name: after.partner.name || t('common.unknownPerson') })), h('div', { class: 'actions' }, button(t('sessions.findTime'), () => void (location.href = scheduleUrl(p.programmeId, p.partnerId)), { appearance: 'primary' })));
        } catch (e) {
          cancel?.removeAttribute('disabled');
          body.append(problem(e));
        }
      }, { appearance: 'secondary', attrs: { 'data-action': 'cancel-series' } })
    : null;
  return [
    section(t('sessions.bookedTitle'), 2,
      h('p', null, t('sessions.bookedSummary', { minutes: p.minutes, weeks: p.cadenceWeeks, until: fmtDate(p.until) })),
      responseBadge(p),
      organiser ? null : h('p', { class: 'muted' }, t('sessions.partnerManages', { name: p.partner.name || t('common.unknownPerson') })),
      h('div', { class: 'actions' }, joinButton(s, p.joinUrl), cancel),
    ),
    section(t('sessions.upcoming'), 2, list),
  ];
}

async function proposals(s: Session, body: HTMLElement, p: PairSessions, occurrence?: string): Promise<void> {
  let data: SessionSlots;
  try {
    data = await getJson<SessionSlots>(`/api/sessions/slots?${new URLSearchParams({ programme: p.programmeId, partner: p.partnerId, ...(occurrence ? { occurrence } : {}) }).toString()}`);
  } catch (e) {
    replace(body, problem(e));
    body.setAttribute('data-ready', 'schedule');
    return;
  }
  const intro = occurrence
    ? t('sessions.moveIntro', { time: span(occurrence, new Date(Date.parse(occurrence) + data.minutes * 60_000).toISOString(), data.me.timeZone) })
    : t('sessions.intro', { minutes: data.minutes, weeks: data.cadenceWeeks, until: fmtDate(data.until), name: data.partner.name || t('common.unknownPerson') });
  if (!data.slots.length) {
    replace(body, h('p', null, intro), messageBar('warning', t('sessions.noSlotsTitle'), t('sessions.noSlots')));
    body.setAttribute('data-ready', 'schedule');
    return;
  }
  let picked: string | undefined;
  const status = h('div', { class: 'status', role: 'status' });
  const go = button(occurrence ? t('sessions.moveHere') : t('sessions.book'), () => void submit(), { appearance: 'primary', attrs: { 'data-action': 'book', disabled: '' } });
  const group = h('div', { role: 'radiogroup', class: 'slots', 'aria-label': t('sessions.slotsLabel') }, data.slots.map((slot) => {
    const id = `slot-${Date.parse(slot.start)}`;
    const input = h('input', { type: 'radio', name: 'slot', id, value: slot.start, onchange: () => {
      picked = slot.start;
      go.removeAttribute('disabled');
    } });
    return h('label', { class: 'slot', for: id, 'data-slot': slot.start }, input, bothZones(slot.start, slot.end, data.me, data.partner), slot.preferred ? null : [' ', badge(t('sessions.notPreferred'), 'subtle')]);
  }));
  const submit = async () => {
    if (!picked) return;
    go.setAttribute('disabled', '');
    replace(status, spinner(t(occurrence ? 'sessions.moving' : 'sessions.booking')));
    try {
      const after = occurrence
        ? await postJson<PairSessions>('/api/sessions/move', { programme: p.programmeId, partner: p.partnerId, occurrence, start: picked })
        : await postJson<PairSessions>('/api/sessions/book', { programme: p.programmeId, partner: p.partnerId, start: picked });
      const done = t(occurrence ? 'sessions.movedDone' : 'sessions.bookedDone', { name: after.partner.name || t('common.unknownPerson') });
      announce(done);
      replace(body, messageBar('success', done, after.next ? bothZones(after.next.start, after.next.end, after.me, after.partner) : ''), ...bookedParts(s, after, body));
    } catch (e) {
      replace(status, problem(e));
      go.removeAttribute('disabled');
    }
  };
  replace(body, h('p', null, intro), section(t('sessions.slotsTitle'), 2, group, h('div', { class: 'actions' }, go), status));
  body.setAttribute('data-ready', 'schedule');
}
