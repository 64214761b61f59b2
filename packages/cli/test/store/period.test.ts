import { describe, expect, it } from 'vitest';
import { UsageError } from '@liqmon/core';
import { parsePeriod } from '../../src/store/period.js';

const NOW = Date.parse('2026-12-04T20:00:00Z');

describe('the period of stats, export and replay --from-db', () => {
  it('is the last 24h by default', () => {
    expect(parsePeriod({}, NOW)).toEqual({ since: NOW - 86_400_000, until: NOW });
  });

  it('takes UTC dates and times, a time without a zone being UTC', () => {
    expect(parsePeriod({ since: '2026-12-01', until: '2026-12-02T08:30' }, NOW)).toEqual({ since: Date.parse('2026-12-01T00:00:00Z'), until: Date.parse('2026-12-02T08:30:00Z') });
    expect(parsePeriod({ since: '2026-12-01T08:00:00+01:00' }, NOW).since).toBe(Date.parse('2026-12-01T07:00:00Z'));
  });

  it('counts a --since duration back from --until, and an --until duration back from now', () => {
    expect(parsePeriod({ since: '7d', until: '2026-12-02' }, NOW)).toEqual({ since: Date.parse('2026-11-25T00:00:00Z'), until: Date.parse('2026-12-02T00:00:00Z') });
    expect(parsePeriod({ since: '2h', until: '1h' }, NOW)).toEqual({ since: NOW - 3 * 3_600_000, until: NOW - 3_600_000 });
  });

  it('refuses what is neither, and an empty period, as usage errors', () => {
    expect(() => parsePeriod({ since: 'yesterday' }, NOW)).toThrow(UsageError);
    expect(() => parsePeriod({ since: '2026-12-05', until: '2026-12-04' }, NOW)).toThrow(/The period is empty/);
  });
});
