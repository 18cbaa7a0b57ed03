import { nextMidnightMs, parseDay, resetEpochSeconds, resetTimeIso, secondsToMidnight, utcDay } from '../../../src/quota/clock';

describe('the daily window (00:00 UTC)', () => {
  it.each([
    ['2026-01-26T15:00:00.000Z', '2026-01-26', '2026-01-27T00:00:00Z', 9 * 3600],
    ['2026-01-26T23:59:59.900Z', '2026-01-26', '2026-01-27T00:00:00Z', 1],
    ['2026-01-27T00:00:00.000Z', '2026-01-27', '2026-01-28T00:00:00Z', 86400],
    ['2026-01-27T00:00:00.100Z', '2026-01-27', '2026-01-28T00:00:00Z', 86400],
    ['2024-02-28T12:00:00.000Z', '2024-02-28', '2024-02-29T00:00:00Z', 12 * 3600],
    ['2025-12-31T23:00:00.000Z', '2025-12-31', '2026-01-01T00:00:00Z', 3600],
  ])('at %s: day %s, reset %s, %i s left', (iso, day, reset, seconds) => {
    const now = Date.parse(iso);
    expect(utcDay(now)).toBe(day);
    expect(resetTimeIso(now)).toBe(reset);
    expect(resetEpochSeconds(now)).toBe(Date.parse(reset) / 1000);
    expect(nextMidnightMs(now)).toBe(Date.parse(reset));
    expect(secondsToMidnight(now)).toBe(seconds);
  });

  it('never gives a TTL of 0 (that would make a counter eternal)', () => {
    expect(secondsToMidnight(Date.parse('2026-01-26T23:59:59.999Z'))).toBe(1);
  });

  it('ignores the local time zone of the machine', () => {
    // 2026-01-26 23:30 in Paris is already 22:30 UTC of the 26th; in UTC-10 it is the 27th locally.
    expect(utcDay(Date.parse('2026-01-26T23:30:00+01:00'))).toBe('2026-01-26');
    expect(utcDay(Date.parse('2026-01-26T20:00:00-10:00'))).toBe('2026-01-27');
  });

  it.each([
    ['2026-01-26', '2026-01-26'],
    ['2024-02-29', '2024-02-29'],
    ['2025-02-29', undefined],
    ['2026-13-01', undefined],
    ['26-01-2026', undefined],
    ['2026-01-26T00:00:00Z', undefined],
  ])('parses the day %j', (raw, expected) => {
    expect(parseDay(raw)).toBe(expected);
  });
});
