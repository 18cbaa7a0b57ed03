import { formatDatetime, formatDate } from '../../../src/responses/format-dates';
import { DateTime } from 'luxon';

describe('formatDatetime', () => {
  it.each([
    ['2021-01-04T11:22:14.440Z', 'UTC', '2021-01-04T11:22:14.440000+00:00'],
    ['2016-10-17T19:46:54Z', 'UTC', '2016-10-17T19:46:54+00:00'],
    ['2016-10-17T21:46:54+02:00', 'UTC', '2016-10-17T19:46:54+00:00'],
    ['2021-01-08T15:31:09Z', 'Europe/Paris', '2021-01-08T16:31:09+01:00'],
    ['2017-04-12T17:00:00Z', 'America/New_York', '2017-04-12T13:00:00-04:00'],
    ['0250-01-01T00:00:00Z', 'UTC', '0250-01-01T00:00:00+00:00'],
  ])('%s in %s → %s', (value, tz, expected) => {
    expect(formatDatetime(value, tz)).toBe(expected);
  });

  it('takes epoch milliseconds and Date objects', () => {
    expect(formatDatetime(Date.UTC(2020, 1, 29, 23, 59, 59, 7), 'UTC')).toBe('2020-02-29T23:59:59.007000+00:00');
    expect(formatDatetime(new Date(Date.UTC(2020, 0, 1)), 'Etc/UTC')).toBe('2020-01-01T00:00:00+00:00');
  });

  it('gives the same text on the UTC fast path as through luxon, over many instants', () => {
    for (let i = 0; i < 2000; i += 1) {
      const ms = Math.floor(-2e12 + i * 2.1e9 + (i % 7) * 123);
      const viaLuxon = DateTime.fromMillis(ms).setZone('UTC');
      const frac = viaLuxon.millisecond === 0 ? '' : `.${String(viaLuxon.millisecond).padStart(3, '0')}000`;
      expect(formatDatetime(new Date(ms).toISOString(), 'UTC')).toBe(`${viaLuxon.toFormat("yyyy-MM-dd'T'HH:mm:ss")}${frac}+00:00`);
    }
  });

  it('rejects what is not a date', () => {
    expect(formatDatetime('not a date', 'UTC')).toBeUndefined();
    expect(formatDatetime(Number.NaN, 'UTC')).toBeUndefined();
  });
});

describe('formatDate', () => {
  it('keeps the calendar day', () => {
    expect(formatDate('2020-05-26')).toBe('2020-05-26');
    expect(formatDate('2020-05-26T23:00:00-05:00')).toBe('2020-05-26');
    expect(formatDate(Date.UTC(2020, 4, 26))).toBe('2020-05-26');
  });
});
