import fc from 'fast-check';
import { DateTime } from 'luxon';
import { ancestorPaths, fastUtcDatetime, toDate, toDatetime, toDouble, toInt, toText, ValueError } from '../../../src/ingest/values';

describe('toText', () => {
  it.each([
    ['Paris', undefined, 'Paris'],
    [12, undefined, '12'],
    [true, undefined, 'true'],
    ['', undefined, undefined],
    ['   ', undefined, undefined],
    [null, undefined, undefined],
    [['a', 'b'], undefined, 'a, b'],
    [' a , b,, c ', ',', ['a', 'b', 'c']],
    ['a;b', ';', ['a', 'b']],
    [' , ', ',', undefined],
    [['x', ' y ', null, ''], ',', ['x', 'y']],
    [{ a: 1 }, undefined, '{"a":1}'],
  ])('%j (separator %j) → %j', (input, sep, expected) => {
    expect(toText(input, sep)).toEqual(expected);
  });
});

describe('ancestorPaths', () => {
  it('lists the ancestors of each value, once', () => {
    expect(ancestorPaths('A/B/C', '/')).toEqual(['A', 'A/B', 'A/B/C']);
    expect(ancestorPaths(['A/B', 'A/C'], '/')).toEqual(['A', 'A/B', 'A/C']);
    expect(ancestorPaths('Food>Bread', '>')).toEqual(['Food', 'Food>Bread']);
  });
});

describe('toInt', () => {
  it.each([
    [12, 12],
    ['12', 12],
    [' -3 ', -3],
    ['+7', 7],
    ['12.0', 12],
    [12.0, 12],
    [BigInt(2176), 2176],
    ['', undefined],
    [null, undefined],
  ])('%p → %p', (input, expected) => {
    expect(toInt(input)).toBe(expected);
  });
  it.each([['12.5'], [12.5], ['12 m'], ['1e3'], ['abc'], [BigInt('9007199254740993')], ['90071992547409930'], [true]])('rejects %p', (input) => {
    expect(() => toInt(input)).toThrow(ValueError);
  });
  it('says what was expected', () => {
    expect(() => toInt('12.5')).toThrow('expected an integer, got "12.5"');
  });
});

describe('toDouble', () => {
  it.each([
    [1.5, 1.5],
    ['1.5', 1.5],
    ['-.5', -0.5],
    ['1e3', 1000],
    ['12,5', 12.5],
    [BigInt(3), 3],
    ['', undefined],
  ])('%p → %p', (input, expected) => {
    expect(toDouble(input)).toBe(expected);
  });
  it.each([['1.5.2'], ['NaN'], [Number.NaN], [Number.POSITIVE_INFINITY], ['1,234,5'], [{}]])('rejects %p', (input) => {
    expect(() => toDouble(input)).toThrow(ValueError);
  });
});

describe('toDate', () => {
  it.each([
    ['2012-01-01', '2012-01-01'],
    ['2012/1/2', '2012-01-02'],
    ['2012/12/31', '2012-12-31'],
    ['Jun 12 1998', '1998-06-12'],
    ['Dec 31 2046', '2046-12-31'], // vega movies artefact, loaded as is
    ['Sep 3, 2004', '2004-09-03'],
    ['12 June 1998', '1998-06-12'],
    ['June 12, 1998', '1998-06-12'],
    ['31.12.2020', '2020-12-31'],
    ['2012-01-01T23:30:00-05:00', '2012-01-01'], // the date part as written
    ['2012-01-01 10:00:00', '2012-01-01'],
    [1517966773840, '2018-02-07'],
    ['', undefined],
  ])('%p → %p', (input, expected) => {
    expect(toDate(input)).toBe(expected);
  });
  it('reads epoch milliseconds in the dataset time zone', () => {
    expect(toDate(Date.UTC(2020, 0, 1, 23, 30), 'Europe/Paris')).toBe('2020-01-02');
  });
  it.each([['2012-02-30'], ['2012-13-01'], ['yesterday'], ['Foo 12 1998'], ['2012'], [{}]])('rejects %p', (input) => {
    expect(() => toDate(input)).toThrow(ValueError);
  });
});

describe('toDatetime', () => {
  it.each([
    ['2018-02-07T01:46:13.840Z', 'UTC', '2018-02-07T01:46:13.840Z'],
    ['2018-02-07T01:46:13Z', 'UTC', '2018-02-07T01:46:13Z'],
    ['2018-02-07T01:46:13+05:30', 'Europe/Paris', '2018-02-07T01:46:13+05:30'],
    ['2018-02-07T01:46:13', 'Europe/Paris', '2018-02-07T01:46:13+01:00'],
    ['2018-07-07 01:46', 'Europe/Paris', '2018-07-07T01:46:00+02:00'],
    ['2018-02-07', 'UTC', '2018-02-07T00:00:00Z'],
    ['2018/02/07 10:00:00', 'UTC', '2018-02-07T10:00:00Z'],
    [1517966773840, 'UTC', '2018-02-07T01:26:13.840Z'],
    ['1517966773840', 'UTC', '2018-02-07T01:26:13.840Z'],
    [new Date(Date.UTC(2001, 0, 1, 0, 1)), 'UTC', '2001-01-01T00:01:00Z'],
  ])('%p in %s → %p', (input, zone, expected) => {
    expect(toDatetime(input, zone)).toBe(expected);
  });
  it.each([['2018-02-07T25:00:00'], ['tomorrow'], [true]])('rejects %p', (input) => {
    expect(() => toDatetime(input)).toThrow(/expected a date-time/);
  });
});

describe('fastUtcDatetime (the UTC fast path of toDatetime)', () => {
  const luxon = (s: string, zone: string): string | undefined => {
    const d = DateTime.fromISO(s.replace(' ', 'T'), { zone, setZone: true });
    return d.isValid ? (d.toISO({ suppressMilliseconds: true }) ?? undefined) : undefined;
  };
  const digits = (n: number, w: number) => fc.integer({ min: 0, max: n }).map((x) => String(x).padStart(w, '0'));
  // Mostly valid values, with out-of-range ones (month 13, day 31 in 30-day months, hour 24, second 60) mixed in.
  const isoLike = fc
    .tuple(
      fc.oneof(digits(9999, 4), fc.constantFrom('0999', '1000', '2000', '1900')),
      digits(13, 2),
      digits(31, 2),
      fc.constantFrom('T', ' '),
      digits(24, 2),
      digits(60, 2),
      fc.option(digits(60, 2)),
      fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
      fc.constantFrom('', 'Z', 'z', '+00:00', '+02:00'),
    )
    .map(([y, mo, d, sep, h, mi, s, f, z]) => `${y}-${mo}-${d}${sep}${h}:${mi}${s === null ? '' : `:${s}${f === null ? '' : `.${f}`}`}${z}`);

  it('gives what luxon gives whenever it answers, in UTC and in another zone', () => {
    fc.assert(
      fc.property(isoLike, fc.constantFrom('UTC', 'utc', 'GMT', 'Europe/Paris', 'America/New_York'), (s, zone) => {
        const fast = fastUtcDatetime(s, zone);
        if (fast !== undefined) expect(fast).toBe(luxon(s, zone));
      }),
      { numRuns: 20_000 },
    );
  });

  it('answers the common forms (so the fast path is really taken)', () => {
    expect(fastUtcDatetime('2001-01-14T21:55:00.000Z', 'UTC')).toBe('2001-01-14T21:55:00Z');
    expect(fastUtcDatetime('2001-01-14T21:55:00.000', 'UTC')).toBe('2001-01-14T21:55:00Z');
    expect(fastUtcDatetime('2001-01-14 21:55', 'UTC')).toBe('2001-01-14T21:55:00Z');
    expect(fastUtcDatetime('2001-01-14T21:55:00.1239Z', 'Europe/Paris')).toBe('2001-01-14T21:55:00.123Z');
  });

  it('leaves to luxon what it does not cover: a local time in another zone, offsets, hour 24, invalid days', () => {
    expect(fastUtcDatetime('2001-01-14T21:55:00', 'Europe/Paris')).toBeUndefined();
    expect(fastUtcDatetime('2001-01-14T21:55:00+02:00', 'UTC')).toBeUndefined();
    expect(fastUtcDatetime('2001-01-14T24:00:00Z', 'UTC')).toBeUndefined();
    expect(fastUtcDatetime('2001-02-29T10:00:00Z', 'UTC')).toBeUndefined();
    expect(toDatetime('2001-01-14T24:00:00Z', 'UTC')).toBe('2001-01-15T00:00:00Z');
    expect(() => toDatetime('2001-02-29T10:00:00Z', 'UTC')).toThrow(ValueError);
  });
});
