/** Amounts and durations as users write them in the config. */
import { describe, expect, it } from 'vitest';
import { brief, configError, load, yaml } from './helpers.js';

describe('amounts and durations in the config', () => {
  it('reads amounts with k/M/B suffixes and durations with units', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: a
          minUsd: 50k
          maxUsd: 1.5M
          aggregate: { window: 60s, minUsd: $2B }
          cooldown: 5m
          to: out
        - { name: b, minUsd: 500000, cooldown: 500ms }
      dedupeWindow: 1h
      shutdownTimeout: 10s
    `);
    const [a, b] = config.core.rules;
    expect(a).toMatchObject({ minUsd: 50_000, maxUsd: 1_500_000, cooldown: 300_000 });
    expect(a?.aggregate).toMatchObject({ window: 60_000, minUsd: 2e9 });
    expect(b).toMatchObject({ minUsd: 500_000, cooldown: 500 });
    expect(config.core.dedupeWindow).toBe(3_600_000);
    expect(config.core.shutdownTimeout).toBe(10_000);
  });

  it('refuses bare numbers as durations and says to add a unit', async () => {
    const error = await configError('shutdownTimeout: 10\n');
    expect(brief(error.issues)).toEqual(['1:18 shutdownTimeout: 10 is not a duration; write it with a unit: 500ms, 10s, 5m, 1h']);
  });

  it('takes 0 without a unit, since it means the same in every unit', async () => {
    const config = await load('dedupeWindow: 0\nshutdownTimeout: "0"\n');
    expect(config.core.dedupeWindow).toBe(0);
    expect(config.core.shutdownTimeout).toBe(0);
  });

  it('refuses negative and malformed amounts', async () => {
    const error = await configError('rules:\n  - { name: a, minUsd: -5 }\n  - { name: b, minUsd: 5 k$ }\n');
    expect(brief(error.issues)).toEqual([
      '2:24 rules[0].minUsd: must be at least 0',
      '3:24 rules[1].minUsd: expected an amount such as 50000, 50k or 1.5M; got the text "5 k$"',
    ]);
  });
});
