/** `summary:` of a rule: defaults, and a fix for every value or combination that makes no sense. */
import { describe, expect, it } from 'vitest';
import { brief, configError, load, yaml } from './helpers.js';

const lints = (warnings: readonly string[]) => warnings.filter((w) => w.startsWith('config.yaml:'));

describe('summary rules in the config', () => {
  it('take every, at (default "00:00") and top (default 5) with match, minUsd and to', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: daily
          match: { base: [BTC, ETH] }
          minUsd: 10k
          summary: { every: 1d }
          to: out
        - name: four-hourly
          summary: { every: 4h, at: "8:30", top: 3 }
          to: out
    `);
    expect(config.core.rules.map((r) => [r.name, r.summary, r.minUsd])).toEqual([
      ['daily', { every: 86_400_000, at: '00:00', top: 5 }, 10_000],
      ['four-hourly', { every: 14_400_000, at: '08:30', top: 3 }, undefined],
    ]);
  });

  it('refuse nonsense values with a fix', async () => {
    const error = await configError(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: a
          summary: { every: 30s, at: "24:00", top: 0 }
          to: out
        - name: b
          summary: { every: 1h, at: 0830 }
          to: out
    `);
    expect(brief(error.issues)).toEqual([
      '5:23 rules[0].summary.every: a summary can come at most once a minute; write every: 1m or more, e.g. 1h, 4h or 1d',
      '5:32 rules[0].summary.at: "24:00" is not a time of day; write it as "HH:MM" (UTC, 00:00 to 23:59), e.g. "00:00" or "08:30"',
      '5:46 rules[0].summary.top: must be at least 1',
      '8:31 rules[1].summary.at: 830 is not a time of day; write it as "HH:MM" (UTC, 00:00 to 23:59), e.g. "00:00" or "08:30"',
    ]);
  });

  it('refuse steps that shape per-event alerts, and continue, each with a fix', async () => {
    const error = await configError(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: mixed
          summary: { every: 1d }
          aggregate: { window: 60s }
          cooldown: 5m
          maxUsd: 1M
          continue: true
          to: out
    `);
    expect(brief(error.issues)).toEqual([
      '6:16 rules[0].aggregate: rule `mixed` has both `summary` and `aggregate`: a summary sends the statistics of a period, not cascade alerts [split it into two rules, one with `summary` and one with `aggregate` (the summary rule takes no events from the other)]',
      '7:15 rules[0].cooldown: rule `mixed` has both `summary` and `cooldown`: a summary comes once a period, so there is nothing for a cooldown to hold back [remove `cooldown` from the summary rule]',
      '8:13 rules[0].maxUsd: rule `mixed` has both `summary` and `maxUsd`: a summary counts every liquidation of `minUsd` or more [remove `maxUsd`; a summary rule filters with `match` and `minUsd`]',
      '9:15 rules[0].continue: rule `mixed` has `summary` and `continue: true`: a summary rule never owns events, so every rule below it sees them anyway [remove `continue`]',
    ]);
  });

  it('neither hide the rules below them nor are hidden by a rule that owns every event', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: daily
          summary: { every: 1d }
          to: out
        - name: everything
          to: out
        - name: weekly
          summary: { every: 7d }
          to: out
        - name: never
          to: out
    `);
    expect(lints(config.warnings)).toEqual([
      'config.yaml:12:11  rules[3].name: rule `never` is never reached: rule `everything` above it matches every event and has no `continue: true`; move it above `everything`, or give `everything` a `match`',
    ]);
  });
});
