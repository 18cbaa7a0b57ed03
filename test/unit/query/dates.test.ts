/**
 * Date literals → explicit [start, next) bounds, worked out by hand: every literal form, both
 * field types, a non-UTC time zone, the DST edges, and the errors.
 */
import { dsl, errorOf } from './fixtures';

const range = (path: string, bounds: Record<string, string>) => ({ range: { [path]: bounds } });
const day = (bounds: Record<string, string>) => range('fields.founded', bounds); // a date field
const instant = (bounds: Record<string, string>) => range('fields.updated', bounds); // a datetime field

describe('date fields (calendar days, whatever the time zone)', () => {
  it.each<[string, unknown]>([
    ['founded:2016', day({ gte: '2016-01-01', lt: '2017-01-01' })],
    ['founded:2016/09', day({ gte: '2016-09-01', lt: '2016-10-01' })],
    ['founded:2016-09', day({ gte: '2016-09-01', lt: '2016-10-01' })],
    ['founded:2016/9', day({ gte: '2016-09-01', lt: '2016-10-01' })],
    ['founded:2016/12', day({ gte: '2016-12-01', lt: '2017-01-01' })],
    ['founded:2016/09/15', day({ gte: '2016-09-15', lt: '2016-09-16' })],
    ['founded:2016-09-15', day({ gte: '2016-09-15', lt: '2016-09-16' })],
    ['founded==2016-02-29', day({ gte: '2016-02-29', lt: '2016-03-01' })],
    ['founded="2016-12-31"', day({ gte: '2016-12-31', lt: '2017-01-01' })],
    // a partial date covers its whole period
    ['founded<=2016/09', day({ lt: '2016-10-01' })],
    ['founded<2016/09', day({ lt: '2016-09-01' })],
    ['founded>=2013/02', day({ gte: '2013-02-01' })],
    ['founded>2016', day({ gte: '2017-01-01' })],
    ['founded>2016/09/30', day({ gte: '2016-10-01' })],
    ['founded:[2015 TO 2016/02]', day({ gte: '2015-01-01', lt: '2016-03-01' })],
    ['founded:[2016/02/01 TO *]', day({ gte: '2016-02-01' })],
    ['founded:[* TO 2016]', day({ lt: '2017-01-01' })],
    // the ods-calendar widget's form
    [
      'founded<2026-12-13 AND founded>=2026-11-01',
      { bool: { must: [day({ lt: '2026-12-13' }), day({ gte: '2026-11-01' })] } },
    ],
    // a time of day names its day
    ['founded:2016-09-15T23:30', day({ gte: '2016-09-15', lt: '2016-09-16' })],
    ['founded:2016-09-15T23:30-05:00', day({ gte: '2016-09-16', lt: '2016-09-17' })],
    // past year 9999 the range stays open
    ['founded<=9999', { exists: { field: 'fields.founded' } }],
    ['founded>9999', { bool: { must_not: { match_all: {} } } }],
    ['founded:9999', day({ gte: '9999-01-01' })],
  ])('%s', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it('ignores the time zone for calendar periods', () => {
    expect(dsl('founded:2016/09', { timezone: 'Europe/Paris' })).toEqual(day({ gte: '2016-09-01', lt: '2016-10-01' }));
    expect(dsl('founded<=2016/09', { timezone: 'Pacific/Kiritimati' })).toEqual(day({ lt: '2016-10-01' }));
  });

  it('reads a time of day in the time zone to find its day', () => {
    // 23:30 in New York is already the next day in UTC, but the day meant is the 15th
    expect(dsl('founded:"2016-09-15 23:30"', { timezone: 'America/New_York' })).toEqual(day({ gte: '2016-09-15', lt: '2016-09-16' }));
    // an explicit offset is converted into the request's zone: 23:30-05:00 is the 16th in Paris
    expect(dsl('founded:2016-09-15T23:30-05:00', { timezone: 'Europe/Paris' })).toEqual(day({ gte: '2016-09-16', lt: '2016-09-17' }));
  });
});

describe('datetime fields (instants)', () => {
  it.each<[string, unknown]>([
    ['updated:2016', instant({ gte: '2016-01-01T00:00:00.000Z', lt: '2017-01-01T00:00:00.000Z' })],
    ['updated:2016/09', instant({ gte: '2016-09-01T00:00:00.000Z', lt: '2016-10-01T00:00:00.000Z' })],
    ['updated<=2016/09', instant({ lt: '2016-10-01T00:00:00.000Z' })],
    ['updated>2016', instant({ gte: '2017-01-01T00:00:00.000Z' })],
    ['updated:2016/09/15', instant({ gte: '2016-09-15T00:00:00.000Z', lt: '2016-09-16T00:00:00.000Z' })],
    ['updated:2020-01-01T10', instant({ gte: '2020-01-01T10:00:00.000Z', lt: '2020-01-01T11:00:00.000Z' })],
    ['updated:2020-01-01T10:05', instant({ gte: '2020-01-01T10:05:00.000Z', lt: '2020-01-01T10:06:00.000Z' })],
    ['updated:2020-01-01T10:05:30', instant({ gte: '2020-01-01T10:05:30.000Z', lt: '2020-01-01T10:05:31.000Z' })],
    ['updated:2020-01-01T10:05:30.5Z', instant({ gte: '2020-01-01T10:05:30.500Z', lt: '2020-01-01T10:05:30.501Z' })],
    ['updated:2020-01-01T10:05:30.123456Z', instant({ gte: '2020-01-01T10:05:30.123Z', lt: '2020-01-01T10:05:30.124Z' })],
    ['updated>=2020-01-01T10:00:00+02:00', instant({ gte: '2020-01-01T08:00:00.000Z' })],
    ['updated>=2020-01-01T10:00:00-0330', instant({ gte: '2020-01-01T13:30:00.000Z' })],
    ['updated>="2020-01-01 10:00"', instant({ gte: '2020-01-01T10:00:00.000Z' })],
    ["updated<'2020-01-01T10:00Z'", instant({ lt: '2020-01-01T10:00:00.000Z' })],
    // ods-widgets' timerange: inclusive, the upper bound's whole second included
    [
      'updated:[2020-01-01T10:00:00Z TO 2020-02-01T00:00:00Z]',
      instant({ gte: '2020-01-01T10:00:00.000Z', lt: '2020-02-01T00:00:01.000Z' }),
    ],
  ])('%s (UTC)', (q, expected) => {
    expect(dsl(q)).toEqual(expected);
  });

  it.each<[string, string, unknown]>([
    // Europe/Paris is UTC+2 in summer, UTC+1 in winter
    ['updated:2016/09', 'Europe/Paris', instant({ gte: '2016-08-31T22:00:00.000Z', lt: '2016-09-30T22:00:00.000Z' })],
    ['updated>2016', 'Europe/Paris', instant({ gte: '2016-12-31T23:00:00.000Z' })],
    ['updated<=2016/09', 'Europe/Paris', instant({ lt: '2016-09-30T22:00:00.000Z' })],
    ['updated>="2020-01-01 10:00"', 'Europe/Paris', instant({ gte: '2020-01-01T09:00:00.000Z' })],
    // an explicit offset wins over the time zone
    ['updated>=2020-01-01T10:00:00Z', 'Europe/Paris', instant({ gte: '2020-01-01T10:00:00.000Z' })],
    // March: New York switches to daylight time on the 8th, so the month spans two offsets
    ['updated:2020/03', 'America/New_York', instant({ gte: '2020-03-01T05:00:00.000Z', lt: '2020-04-01T04:00:00.000Z' })],
    // DST edges in Paris: 28 March 2021 lasts 23 hours, 31 October 2021 lasts 25
    ['updated:2021-03-28', 'Europe/Paris', instant({ gte: '2021-03-27T23:00:00.000Z', lt: '2021-03-28T22:00:00.000Z' })],
    ['updated:2021-10-31', 'Europe/Paris', instant({ gte: '2021-10-30T22:00:00.000Z', lt: '2021-10-31T23:00:00.000Z' })],
    // 02:30 does not exist on 28 March 2021 in Paris: it moves forward to 03:30+02:00
    ['updated:"2021-03-28 02:30"', 'Europe/Paris', instant({ gte: '2021-03-28T01:30:00.000Z', lt: '2021-03-28T01:31:00.000Z' })],
    // 02:30 happens twice on 31 October 2021: the later one (+01:00) is taken
    ['updated:"2021-10-31 02:30"', 'Europe/Paris', instant({ gte: '2021-10-31T01:30:00.000Z', lt: '2021-10-31T01:31:00.000Z' })],
  ])('%s in %s', (q, timezone, expected) => {
    expect(dsl(q, { timezone })).toEqual(expected);
  });
});

describe('invalid dates', () => {
  it.each<[string, string, number]>([
    ['updated>2016-13', 'invalid date "2016-13" for datetime field "updated": month 13 is out of range (1-12)', 8],
    ['founded:2015-02-29', 'invalid date "2015-02-29" for date field "founded": day 29 does not exist in 2015-02', 8],
    ['founded:2016/04/31', 'day 31 does not exist in 2016-04', 8],
    ['updated:2020-01-01T24:00', 'hour 24 is out of range (0-23)', 8],
    ['updated:2020-01-01T10:60', 'minute 60 is out of range (0-59)', 8],
    ['updated:2020-01-01T10:00:60', 'second 60 is out of range (0-59)', 8],
    ['updated:2020-01-01T10:00+19:00', 'the zone offset is out of range', 8],
    ['founded:yesterday', 'invalid date "yesterday" for date field "founded": expected a date: YYYY, YYYY/MM, YYYY/MM/DD or YYYY-MM-DD', 8],
    // the position points into the value: at the first character that does not fit, or at the start
    // of a part that does not (a 2-digit year)
    ['founded:2016/1x', 'expected a date', 14],
    ['founded:"2016-01-01 x"', 'expected a date', 20],
    ['updated>=16/09/2016', 'expected a date', 9],
  ])('%s', (q, message, offset) => {
    const e = errorOf(q);
    expect(e.kind).toBe('query_semantic');
    expect(e.message).toContain(message);
    expect(e.extra).toMatchObject({ parameter: 'q', position: offset });
  });

  it('rejects an unknown time zone as a bad `timezone` parameter, even without dates in q', () => {
    const e = errorOf('film', { timezone: 'Mars/Olympus_Mons' });
    expect(e.kind).toBe('bad_parameter');
    expect(e.message).toBe(
      'Invalid value for parameter "timezone": unknown time zone "Mars/Olympus_Mons": expected an IANA name such as Europe/Paris or UTC',
    );
    expect(e.extra).toEqual({ parameter: 'timezone' });
  });

  it('takes UTC by default and for an empty timezone', () => {
    expect(dsl('updated:2016', { timezone: '' })).toEqual(dsl('updated:2016'));
    expect(dsl('updated:2016', { timezone: 'UTC' })).toEqual(dsl('updated:2016'));
  });
});
