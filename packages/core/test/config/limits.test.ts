/**
 * Limits of what a config may ask for: durations a timer can wait, lengths of amount and duration text,
 * the size of the file and how far YAML aliases may expand. Each ends as one clear config error (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { loadConfigFromText } from '../../src/config/index.js';
import type { ConfigError } from '../../src/errors.js';
import { brief, configError, load, tempDir, yaml } from './helpers.js';

const TOO_LONG = (text: string) =>
  `"${text}" is too long: a duration can be at most 2147483647ms (about 24.8 days, the longest a Node.js timer can wait); write 24d or less`;

describe('durations longer than a timer can wait', () => {
  it('are refused in every core duration, naming the limit', async () => {
    const error = await configError(yaml`
      sinks:
        out: { use: console }
      rules:
        - name: a
          aggregate: { window: 30d, minUsd: 1M }
          cooldown: 25d
          to: out
      dedupeWindow: 1000h
      shutdownTimeout: 30d
      delivery:
        sendTimeout: 30d
        backoff: { max: 2147483648ms }
      http: { port: 0, downAfter: 30d }
    `);
    expect(brief(error.issues)).toEqual([
      `5:26 rules[0].aggregate.window: ${TOO_LONG('30d')}`,
      `6:15 rules[0].cooldown: ${TOO_LONG('25d')}`,
      `8:15 dedupeWindow: ${TOO_LONG('1000h')}`,
      `9:18 shutdownTimeout: ${TOO_LONG('30d')}`,
      `11:16 delivery.sendTimeout: ${TOO_LONG('30d')}`,
      `12:19 delivery.backoff.max: ${TOO_LONG('2147483648ms')}`,
      `13:29 http.downAfter: ${TOO_LONG('30d')}`,
    ]);
  });

  it('accept the limit itself and 24 days', async () => {
    const config = await load('shutdownTimeout: 2147483647ms\ndedupeWindow: 24d\n');
    expect(config.core.shutdownTimeout).toBe(2 ** 31 - 1);
    expect(config.core.dedupeWindow).toBe(24 * 86_400_000);
  });

  it('refuse a duration whose digits overflow to Infinity', async () => {
    const error = await configError(`rules:\n  - { name: a, cooldown: ${'9'.repeat(40)}s }\n`);
    expect(brief(error.issues)).toEqual([
      '2:26 rules[0].cooldown: the text is too long for a duration (at most 32 characters); write it with a unit: 500ms, 10s, 5m, 1h',
    ]);
    const overflow = await configError(`rules:\n  - { name: a, cooldown: ${'9'.repeat(29)}s }\n`);
    expect(brief(overflow.issues)[0]).toContain('is too long: a duration can be at most 2147483647ms');
  });

  it('are refused in plugin options too, since plugins build their schemas with core duration()', async () => {
    const error = await configError(yaml`
      sources:
        binance: { use: binance, exchangeInfoRefresh: 30d }
        bybit: { use: bybit, refreshInterval: 30d }
      sinks:
        telegram: { use: telegram, token: "123456:abcdefghij", chatId: "1", requestTimeout: 30d }
    `);
    expect(brief(error.issues)).toEqual([
      `2:49 sources.binance.exchangeInfoRefresh: ${TOO_LONG('30d')}`,
      `3:41 sources.bybit.refreshInterval: ${TOO_LONG('30d')}`,
      `5:87 sinks.telegram.requestTimeout: ${TOO_LONG('30d')}`,
    ]);
  });
});

describe('lengths of amount and duration text', () => {
  it('refuses a 30,000-digit amount at once, without trying to read it', async () => {
    const digits = '1'.repeat(30_000);
    const error = await configError(`rules:\n  - name: a\n    minUsd: "${digits}x"\n    maxUsd: "${digits}"\n`);
    expect(brief(error.issues)).toEqual([
      '3:13 rules[0].minUsd: the text is too long for an amount (at most 32 characters)',
      '4:13 rules[0].maxUsd: the text is too long for an amount (at most 32 characters)',
    ]);
  });
});

describe('YAML aliases and merge keys', () => {
  it('end a "billion laughs" alias bomb as "config too complex"', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 10; i += 1) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const error = await configError(`${lines.join('\n')}\n`);
    expect(brief(error.issues)).toEqual([
      '1:1 : config too complex: its aliases (*name, <<: *name) expand to more than 1000 nodes [write the repeated parts out, or use fewer aliases and less nesting]',
    ]);
  });

  it('end a merge-key bomb the same way', async () => {
    const lines = ['m0: &m0 { k: v }'];
    for (let i = 1; i < 30; i += 1) lines.push(`m${i}: &m${i}\n  <<: [*m${i - 1}, *m${i - 1}]\n  k${i}: v`);
    const error = await configError(`${lines.join('\n')}\n`);
    expect(error.issues.map((i) => i.message)).toEqual(['config too complex: its aliases (*name, <<: *name) expand to more than 1000 nodes']);
  });

  it('still read ordinary aliases and merge keys', async () => {
    const config = await load(yaml`
      sinks:
        out: { use: console }
      rules:
        - &common { name: a, minUsd: 50k, to: [out], continue: true }
        - { <<: *common, name: b }
    `);
    expect(config.core.rules.map((r) => r.minUsd)).toEqual([50_000, 50_000]);
  });
});

describe('the size of the config text', () => {
  it('refuses a text over 1 MiB before parsing it', async () => {
    const dir = await tempDir();
    const text: unknown = await loadConfigFromText(`# ${'x'.repeat(1024 * 1024)}\n`, { dir, env: {} }).catch((e: unknown) => e);
    expect((text as ConfigError).issues[0]?.message).toBe('the config is too large (a config can be at most 1048576 bytes, 1 MiB)');
  });
});
