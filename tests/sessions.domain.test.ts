// Pure session rules: proposals from two calendars in two zones, a weekly series that keeps its
// local time across daylight saving, and what a check-in's "did you meet" defaults to for a week
// whose session took place, is still to come, was moved, cancelled or declined.
import { findSlots, metFromCalendar, nextSession, occurrences, weekState, type WorkingHours } from '../bot/domain/sessions';
import type { SessionSeries } from '../bot/domain/types';

const H = 3600_000;
const iso = (at: number) => new Date(at).toISOString();
const hm = (at: number, zone: string) => new Intl.DateTimeFormat('en', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

function series(over: Partial<SessionSeries> = {}): SessionSeries {
  return {
    tenantId: 't', programmeId: 'p', pairId: 'm|e', organizerId: 'e', attendeeId: 'm', status: 'booked', bookingId: 'b', claimedAt: '2027-01-01T00:00:00Z',
    minutes: 60, timeZone: 'Europe/Berlin', intervalWeeks: 1, until: '2027-06-30', firstStart: '2027-01-12T09:00:00.000Z', exceptions: [],
    createdAt: '2027-01-01T00:00:00Z', updatedAt: '2027-01-01T00:00:00Z', ...over,
  };
}

describe('proposals', () => {
  // Mon 2027-01-11 00:00 UTC to Sat 2027-01-16: London 09-17, Berlin 08-16 (= 07-15 London): together 09-15 London.
  const from = Date.parse('2027-01-11T00:00:00Z');
  const to = Date.parse('2027-01-16T00:00:00Z');
  const hours = (start: string, end: string, timeZone: string): WorkingHours => ({ days: ['mon', 'tue', 'wed', 'thu', 'fri'], start, end, timeZone });

  it('only times inside both working hours and clear of both calendars, one a day, days both prefer first', () => {
    const busy = [{ start: Date.parse('2027-01-12T09:00:00Z'), end: Date.parse('2027-01-12T12:00:00Z') }];
    const slots = findSlots({
      from, to, minutes: 60, timeZone: 'Europe/Berlin',
      people: [
        { timeZone: 'Europe/London', workingHours: hours('09:00', '17:00', 'Europe/London'), preferredDays: ['tue', 'thu'], busy },
        { timeZone: 'Europe/Berlin', workingHours: hours('08:00', '16:00', 'Europe/Berlin'), preferredDays: ['tue', 'thu'], busy: [] },
      ],
    });
    expect(slots.length).toBeGreaterThanOrEqual(3);
    for (const s of slots) {
      expect(s.end - s.start).toBe(H);
      expect(Number(hm(s.start, 'Europe/London').slice(0, 2))).toBeGreaterThanOrEqual(9);
      expect(Number(hm(s.end - 1, 'Europe/Berlin').slice(0, 2))).toBeLessThan(16);
      expect(busy.some((b) => b.start < s.end && s.start < b.end)).toBe(false);
    }
    // Tuesday's first free hour (after the busy morning) and Thursday's: both preferred, listed among the proposals.
    expect(slots.filter((s) => s.preferred).map((s) => iso(s.start))).toEqual(['2027-01-12T12:00:00.000Z', '2027-01-14T09:00:00.000Z']);
    expect(new Set(slots.map((s) => iso(s.start).slice(0, 10))).size).toBe(slots.length);
  });

  it('no common working hours: no proposals', () => {
    const tokyo = { timeZone: 'Asia/Tokyo', workingHours: hours('09:00', '12:00', 'Asia/Tokyo'), preferredDays: [], busy: [] };
    const ny = { timeZone: 'America/New_York', workingHours: hours('09:00', '12:00', 'America/New_York'), preferredDays: [], busy: [] };
    expect(findSlots({ from, to, minutes: 60, timeZone: 'Asia/Tokyo', people: [tokyo, ny] })).toEqual([]);
  });
});

describe('the weekly series', () => {
  it('stays at 10:00 in Berlin across the change to summer time (09:00 UTC, then 08:00 UTC)', () => {
    const s = series({ firstStart: '2027-03-16T09:00:00.000Z', until: '2027-04-13' });
    const all = occurrences(s, Date.parse('2027-03-01T00:00:00Z'), Date.parse('2027-05-01T00:00:00Z'));
    expect(all.map(iso)).toEqual(['2027-03-16T09:00:00.000Z', '2027-03-23T09:00:00.000Z', '2027-03-30T08:00:00.000Z', '2027-04-06T08:00:00.000Z', '2027-04-13T08:00:00.000Z']);
    expect(all.every((at) => hm(at, 'Europe/Berlin') === '10:00')).toBe(true);
  });

  it('every two weeks on a two-week cadence; the next session skips a cancelled one', () => {
    const s = series({ intervalWeeks: 2, exceptions: [{ originalStart: '2027-01-26T09:00:00.000Z', cancelled: true }] });
    expect(occurrences(s, Date.parse('2027-01-01T00:00:00Z'), Date.parse('2027-02-20T00:00:00Z')).map(iso)).toEqual(['2027-01-12T09:00:00.000Z', '2027-01-26T09:00:00.000Z', '2027-02-09T09:00:00.000Z']);
    expect(iso(nextSession(s, Date.parse('2027-01-20T00:00:00Z'))!.start)).toBe('2027-02-09T09:00:00.000Z');
    expect(nextSession({ ...s, status: 'cancelled' }, Date.parse('2027-01-20T00:00:00Z'))).toBeUndefined();
  });
});

describe('what a check-in says of the week', () => {
  // The round opens Mon 2027-01-18 09:00 Berlin and closes a week later; the week before holds Tue 12 Jan's session.
  const opened = Date.parse('2027-01-18T08:00:00Z');
  const closes = Date.parse('2027-01-25T08:00:00Z');
  const state = (s: SessionSeries) => weekState(s, opened, closes, 1, opened);

  it('held: the week\'s session took place, "did you meet" defaults to yes', () => {
    expect(state(series())).toEqual({ state: 'held', at: Date.parse('2027-01-12T09:00:00Z') });
    expect(metFromCalendar('held')).toBe('yes');
  });

  it('planned: the first session is still to come in the round\'s week', () => {
    expect(state(series({ firstStart: '2027-01-19T09:00:00.000Z' }))).toEqual({ state: 'planned', at: Date.parse('2027-01-19T09:00:00Z') });
    expect(metFromCalendar('planned')).toBe('yes');
  });

  it('moved: rescheduled, with the new time', () => {
    const s = series({ exceptions: [{ originalStart: '2027-01-12T09:00:00.000Z', start: '2027-01-14T13:00:00.000Z' }] });
    expect(state(s)).toEqual({ state: 'moved', at: Date.parse('2027-01-14T13:00:00Z') });
    expect(metFromCalendar('moved')).toBe('rescheduled');
  });

  it('cancelled or declined: no', () => {
    expect(state(series({ exceptions: [{ originalStart: '2027-01-12T09:00:00.000Z', cancelled: true }] }))?.state).toBe('cancelled');
    expect(state(series({ partnerResponse: 'declined' }))?.state).toBe('declined');
    expect(metFromCalendar('cancelled')).toBe('no');
    expect(metFromCalendar('declined')).toBe('no');
  });

  it('no series, a cancelled series, or nothing near the week: nothing is prefilled', () => {
    expect(weekState(undefined, opened, closes, 1, opened)).toBeUndefined();
    expect(state(series({ status: 'cancelled' }))).toBeUndefined();
    expect(state(series({ firstStart: '2027-03-02T09:00:00.000Z' }))).toBeUndefined();
    expect(metFromCalendar(undefined)).toBeUndefined();
  });
});
