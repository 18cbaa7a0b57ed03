/**
 * #now(...) with dateutil relativedelta semantics. The clock is injected: NOW is Wednesday
 * 15 May 2024, 10:30:00.000 UTC. Expected instants worked out by hand.
 */
import { dsl, errorOf, NOW } from './fixtures';

const gte = (path: string, value: string) => ({ range: { [path]: { gte: value } } });
const at = (q: string, overrides = {}) => dsl(`updated >= #now(${q})`, overrides);

describe('#now on a datetime field', () => {
  it.each<[string, string]>([
    ['', '2024-05-15T10:30:00.000Z'],
    ['days=-1', '2024-05-14T10:30:00.000Z'],
    ['days=+1', '2024-05-16T10:30:00.000Z'],
    ['weeks=-1', '2024-05-08T10:30:00.000Z'],
    ['weeks=-4', '2024-04-17T10:30:00.000Z'],
    ['hours=-2', '2024-05-15T08:30:00.000Z'],
    ['minutes=90', '2024-05-15T12:00:00.000Z'],
    ['seconds=-30', '2024-05-15T10:29:30.000Z'],
    ['microseconds=1500', '2024-05-15T10:30:00.001Z'],
    ['years=-1', '2023-05-15T10:30:00.000Z'],
    // the documented examples
    ['years=-1, hours=-1', '2023-05-15T09:30:00.000Z'],
    ['year=2001', '2001-05-15T10:30:00.000Z'],
    ['weeks=-2, weekday=1', '2024-05-07T10:30:00.000Z'], // the Tuesday before last
    ['weekday=MO(2)', '2024-05-27T10:30:00.000Z'], // the Monday after next
    // weekday: MO(+n) is the n-th Monday on or after the date, MO(-n) on or before it
    ['weekday=MO', '2024-05-20T10:30:00.000Z'],
    ['weekday=MO(-1)', '2024-05-13T10:30:00.000Z'],
    ['weekday=WE', '2024-05-15T10:30:00.000Z'],
    ['weekday=WE(2)', '2024-05-22T10:30:00.000Z'],
    ['weekday=we(-2)', '2024-05-08T10:30:00.000Z'],
    ['weekday=4', '2024-05-17T10:30:00.000Z'],
    ['weekday=SU(-1)', '2024-05-12T10:30:00.000Z'],
    // months: the day is clipped to the month's length
    ['months=-3', '2024-02-15T10:30:00.000Z'],
    ['months=14', '2025-07-15T10:30:00.000Z'],
    ['months=-17', '2022-12-15T10:30:00.000Z'],
    ['months=1, day=31', '2024-06-30T10:30:00.000Z'],
    ['month=2, day=31', '2024-02-29T10:30:00.000Z'],
    ['year=2023, month=2, day=31', '2023-02-28T10:30:00.000Z'],
    // absolute fields first, then the relative shift, then the weekday
    ['day=1, days=-1', '2024-04-30T10:30:00.000Z'],
    ['hour=0, minute=0, second=0, microsecond=0', '2024-05-15T00:00:00.000Z'],
    ['microsecond=999999', '2024-05-15T10:30:00.999Z'],
    ['day=1, weekday=MO', '2024-05-06T10:30:00.000Z'],
    ['days=-3, weekday=SU(+1)', '2024-05-12T10:30:00.000Z'],
  ])('#now(%s)', (args, expected) => {
    expect(at(args)).toEqual(gte('fields.updated', expected));
  });

  it('clips the day of a relative month: Jan 31 + 1 month = Feb 29 in a leap year', () => {
    expect(at('months=1', { now: new Date('2024-01-31T12:00:00Z') })).toEqual(gte('fields.updated', '2024-02-29T12:00:00.000Z'));
    expect(at('months=1', { now: new Date('2023-01-31T12:00:00Z') })).toEqual(gte('fields.updated', '2023-02-28T12:00:00.000Z'));
  });

  it('computes on the wall clock of the time zone, as Python does with an aware datetime', () => {
    // midnight today in Paris (UTC+2 in May)
    expect(at('hour=0, minute=0, second=0, microsecond=0', { timezone: 'Europe/Paris' })).toEqual(
      gte('fields.updated', '2024-05-14T22:00:00.000Z'),
    );
    // across the spring-forward night, one day (and 24 hours of wall clock) later is 13:00 CEST
    const now = new Date('2021-03-27T12:00:00Z'); // 13:00 CET
    expect(at('days=1', { now, timezone: 'Europe/Paris' })).toEqual(gte('fields.updated', '2021-03-28T11:00:00.000Z'));
    expect(at('hours=24', { now, timezone: 'Europe/Paris' })).toEqual(gte('fields.updated', '2021-03-28T11:00:00.000Z'));
    // the day of the week is the one on the local calendar: 00:30 Thursday in Kiritimati (UTC+14)
    expect(at('weekday=TH', { timezone: 'Pacific/Kiritimati' })).toEqual(gte('fields.updated', '2024-05-15T10:30:00.000Z'));
  });

  it('uses the period of the instant: one millisecond', () => {
    expect(dsl('updated:#now()')).toEqual({ range: { 'fields.updated': { gte: '2024-05-15T10:30:00.000Z', lt: '2024-05-15T10:30:00.001Z' } } });
    expect(dsl('updated > #now(hours=-2)')).toEqual(gte('fields.updated', '2024-05-15T08:30:00.001Z'));
    expect(dsl('updated < #now()')).toEqual({ range: { 'fields.updated': { lt: '2024-05-15T10:30:00.000Z' } } });
    expect(dsl('updated:[#now(days=-7) TO #now()]')).toEqual({
      range: { 'fields.updated': { gte: '2024-05-08T10:30:00.000Z', lt: '2024-05-15T10:30:00.001Z' } },
    });
  });

  it('depends on nothing but the injected clock', () => {
    expect(at('days=-1', { now: new Date('2000-01-01T00:00:00Z') })).toEqual(gte('fields.updated', '1999-12-31T00:00:00.000Z'));
    expect(NOW.toISOString()).toBe('2024-05-15T10:30:00.000Z');
  });
});

describe('#now on a date field: the day it falls on in the time zone', () => {
  it.each<[string, string | undefined, unknown]>([
    ['founded >= #now(days=-7)', undefined, gte('fields.founded', '2024-05-08')],
    ['founded > #now()', undefined, gte('fields.founded', '2024-05-16')],
    ['founded < #now()', undefined, { range: { 'fields.founded': { lt: '2024-05-15' } } }],
    ['founded <= #now()', undefined, { range: { 'fields.founded': { lt: '2024-05-16' } } }],
    ['founded:#now()', undefined, { range: { 'fields.founded': { gte: '2024-05-15', lt: '2024-05-16' } } }],
    // 10:30 UTC is already 00:30 on the 16th in Kiritimati (UTC+14)
    ['founded:#now()', 'Pacific/Kiritimati', { range: { 'fields.founded': { gte: '2024-05-16', lt: '2024-05-17' } } }],
  ])('%s (%s)', (q, timezone, expected) => {
    expect(dsl(q, timezone === undefined ? {} : { timezone })).toEqual(expected);
  });
});

describe('#now errors', () => {
  it.each<[string, string, number]>([
    ['updated>#now(foo=1)', 'unknown #now argument "foo": expected years, months, weeks, days, hours, minutes, seconds, microseconds, year, month, day, hour, minute, second, microsecond, weekday', 13],
    ['updated>#now(days=1, days=2)', '#now argument "days" is given twice', 21],
    ['updated>#now(month=13)', '#now argument month=13 is out of range (1-12)', 13],
    ['updated>#now(day=0)', '#now argument day=0 is out of range (1-31)', 13],
    ['updated>#now(hour=24)', 'out of range (0-23)', 13],
    ['updated>#now(weekday=7)', '#now weekday 7 is out of range: expected 0 (Monday) to 6 (Sunday), or MO..SU', 13],
    ['updated>#now(weekday=MO(0))', '#now weekday MO(0) is not allowed', 13],
    ['updated>#now(days=MO)', '#now argument "days" expects an integer, not a weekday', 13],
    ['updated>#now(years=99999)', '#now(...) falls outside years 1-9999', 8],
    ['updated>#now(days=99999999999999999999)', '#now argument "days" is out of range', 13],
  ])('%s', (q, message, position) => {
    const e = errorOf(q);
    expect(e.kind).toBe('query_semantic');
    expect(e.message).toContain(message);
    expect(e.extra).toMatchObject({ position });
  });

  it('reports every bad argument at once', () => {
    const e = errorOf('updated>#now(foo=1, month=13)');
    expect(e.extra.errors).toHaveLength(2);
    expect(e.message).toMatch(/^2 errors in the query in parameter "q":\n- at offset 13 .*foo.*\n- at offset 20 .*month=13/);
  });

  it.each<[string, string]>([
    ['updated>=#now(weekday=XX)', 'expected integer or weekday (MO, TU, WE, TH, FR, SA, SU) but "XX" found'],
    ['updated>=#now(days=1.5)', 'expected ")" or "," but "." found'],
    ['updated>=#now(days=1,)', 'expected name but ")" found'],
    ['updated>=#now(days)', 'expected "=" but ")" found'],
    ['updated>=#now', 'expected "(" but end of input found'],
  ])('%s is a syntax error', (q, message) => {
    const e = errorOf(q);
    expect(e.kind).toBe('query_syntax');
    expect(e.message).toContain(message);
  });

  it('says #now is a value when it is used as a query', () => {
    expect(errorOf('#now(days=-1)').message).toBe(
      'Invalid query in parameter "q" at offset 0 (line 1, column 1): #now() is a value, not a query: compare a date field with it, e.g. date >= #now(days=-1)\n' +
        '#now(days=-1)\n' +
        '^',
    );
  });
});
