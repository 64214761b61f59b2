/**
 * Lints of a valid config: warnings at file:line:column for rules that cannot do what they say. The
 * config still loads (validate exits 0; `validate --strict` turns them into exit 2, see e2e).
 */
import { describe, expect, it } from 'vitest';
import { load, yaml } from './helpers.js';

const lints = (warnings: readonly string[]) => warnings.filter((w) => w.startsWith('config.yaml:'));

describe('rule lints', () => {
  it('flags a match value no configured source produces, with a did-you-mean', async () => {
    const config = await load(yaml`
      sources:
        binance: { use: binance, markets: [usdm] }
        bybit: { use: bybit }
      sinks:
        out: { use: console }
      rules:
        - name: typo
          match: { exchange: binanse, market: [usdm, coinm], source: bybt }
          continue: true
          to: out
        - name: fine
          match: { exchange: [BINANCE, bybit], market: linear, not: { exchange: okx } }
          to: out
    `);
    expect(lints(config.warnings)).toEqual([
      'config.yaml:8:24  rules[0].match.exchange: no configured source produces exchange `binanse` (exchanges: binance, bybit), so this never matches; did you mean `binance`?',
      'config.yaml:8:48  rules[0].match.market[1]: no configured source produces market `coinm` (markets: usdm, linear, inverse), so this never matches',
      'config.yaml:8:64  rules[0].match.source: no source is named `bybt` (sources: binance, bybit), so this never matches; did you mean `bybit`?',
      'config.yaml:12:75  rules[1].match.not.exchange: no configured source produces exchange `okx` (exchanges: binance, bybit), so this never matches',
    ]);
  });

  it('does not guess about exchanges when a source does not declare what it produces', async () => {
    const config = await load(
      yaml`
        sources:
          local: { use: ./toy-source.mjs }
        sinks:
          out: { use: console }
        rules:
          - { name: any, match: { exchange: toy, market: spot }, to: out }
      `,
      {},
      {
        'toy-source.mjs': `export default { [Symbol.for('liqmon.plugin')]: { api: 1, coreVersion: 'x' }, kind: 'source', name: 'toy', options: (await import('zod')).z.object({}), create() {} };\n`,
      },
    );
    expect(lints(config.warnings)).toEqual([]);
  });

  it('flags the rules below a catch-all rule without continue', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - { name: majors, match: { base: BTC }, to: out }
        - { name: everything, minUsd: 1M, to: out }
        - { name: shadowed, match: { base: ETH }, to: out }
        - name: also-shadowed
          to: out
    `);
    expect(lints(config.warnings)).toEqual([
      'config.yaml:6:13  rules[2].name: rule `shadowed` is never reached: rule `everything` above it matches every event and has no `continue: true`; move it above `everything`, or give `everything` a `match`',
      'config.yaml:7:11  rules[3].name: rule `also-shadowed` is never reached: rule `everything` above it matches every event and has no `continue: true`; move it above `everything`, or give `everything` a `match`',
    ]);
  });

  it('does not flag rules below a catch-all that continues', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - { name: audit, match: {}, continue: true, to: out }
        - { name: rest, to: out }
    `);
    expect(lints(config.warnings)).toEqual([]);
  });

  it('flags a rule whose sinks are all off, and a sink no rule sends to', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
        spare: { use: console }
        paused: { use: console, enabled: false }
        chat: { use: console, format: "\${CHAT_FORMAT}" }
      rules:
        - { name: quiet, match: { side: long }, to: [paused, chat] }
        - { name: loud, to: out }
    `);
    expect(lints(config.warnings)).toEqual([
      "config.yaml:3:3  sinks.spare: no rule sends to sink `spare`; add it to a rule's `to:`, or remove it",
      'config.yaml:7:47  rules[0].to: every sink of rule `quiet` is off (paused, chat), so its alerts are not sent',
    ]);
  });
});
