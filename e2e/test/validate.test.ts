import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, liqmonRun } from './cli.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function tempDir(prefix = 'liqmon-validate-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Writes `lines` as liqmon.config.yaml in a fresh folder and runs `liqmon validate` on it. */
async function validate(lines: string[], extraArgs: string[] = []) {
  const dir = await tempDir();
  const file = join(dir, 'liqmon.config.yaml');
  await writeFile(file, `${lines.join('\n')}\n`);
  return { dir, ...(await liqmonRun(['validate', '-c', file, ...extraArgs], { env: cleanEnv(), cwd: dir })) };
}

describe('liqmon validate', () => {
  it('accepts the shipped example config without any secret set, and says which sinks are off', async () => {
    const { code, stdout } = await liqmonRun(['validate', '-c', 'config.example.yaml']);
    expect(code).toBe(0);
    expect(stdout).toContain('is valid');
    expect(stdout).toMatch(/telegram \(telegram\) OFF: .*TELEGRAM_BOT_TOKEN/);
    expect(stdout).toMatch(/discord \(discord\) OFF: .*DISCORD_WEBHOOK_URL/);
    expect(stdout).toMatch(/binance \(binance\)\n/);
    expect(stdout).toContain('majors:');
  });

  it('reports every mistake of a broken config with its line, a did-you-mean, and exits 2', async () => {
    const { code, stderr } = await validate([
      'sources:', //                                  1
      '  binance: { use: binance, market: [usdm] }', // 2  misspelt option (markets)
      'sinks:', //                                    3
      '  console: { use: console, format: fancy }', //  4  bad enum value
      'rules:', //                                    5
      '  - name: majors', //                          6
      '    minUsd: lots', //                          7  not an amount
      '    to: [consol]', //                          8  unknown sink
      '  - name: rest', //                            9
      '    minUSD: 500k', //                          10 misspelt key
      '    to: [console]', //                         11
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/liqmon\.config\.yaml:2:\d+\s+sources\.binance\.market/);
    expect(stderr).toMatch(/markets/);
    expect(stderr).toMatch(/:4:\d+\s+sinks\.console\.format/);
    expect(stderr).toMatch(/:7:\d+\s+rules\[0\]\.minUsd/);
    expect(stderr).toMatch(/:8:\d+\s+rules\[0\]\.to/);
    expect(stderr).toMatch(/console/);
    expect(stderr).toMatch(/:10:\d+\s+rules\[1\]\.minUSD/);
    expect(stderr).toMatch(/minUsd/);
  });

  it('exits 2 with a hint when no config can be found', async () => {
    const dir = await tempDir('liqmon-empty-');
    const { code, stderr } = await liqmonRun(['validate'], { cwd: dir });
    expect(code).toBe(2);
    expect(stderr).toContain('liqmon init');
  });
});

describe('liqmon validate: lints', () => {
  const linted = [
    'sources:', //                                                    1
    '  binance: { use: binance }', //                                 2
    '  bybit: { use: bybit, categories: [linear] }', //               3
    'sinks:', //                                                      4
    '  out: { use: console }', //                                     5
    '  spare: { use: console }', //                                   6
    '  paused: { use: console, enabled: false }', //                  7
    'rules:', //                                                      8
    '  - name: typo', //                                              9
    '    match: { exchange: binanse }', //                            10
    '    to: out', //                                                 11
    '  - name: muted', //                                             12
    '    match: { market: inverse }', //                              13
    '    to: [paused]', //                                            14
    '  - name: cascades', //                                          15
    '    match: { base: BTC }', //                                    16
    '    aggregate: { window: 60s, by: [base, side], minUsd: 2M, minCount: 3 }', // 17
    '    to: out', //                                                 18
    '  - name: rest', //                                              19
    '    minUsd: 500k', //                                            20
    '    to: out', //                                                 21
    '  - name: shadowed', //                                          22
    '    match: { base: ETH }', //                                    23
    '    to: out', //                                                 24
  ];

  it('prints each warning with file:line:column and exits 0; the summary shows each cascade threshold', async () => {
    const { code, stdout, stderr } = await validate(linted);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('  cascades: match {"base":["BTC"]}, cascade 60s by base+side at >= $2M and >= 3 liquidations -> out\n');
    const warnings = stdout.split('\n').filter((line) => line.startsWith('warning: liqmon.config.yaml'));
    expect(warnings).toEqual([
      "warning: liqmon.config.yaml:6:3  sinks.spare: no rule sends to sink `spare`; add it to a rule's `to:`, or remove it",
      'warning: liqmon.config.yaml:10:24  rules[0].match.exchange: no configured source produces exchange `binanse` (exchanges: binance, bybit), so this never matches; did you mean `binance`?',
      'warning: liqmon.config.yaml:13:22  rules[1].match.market: no configured source produces market `inverse` (markets: usdm, coinm, linear), so this never matches',
      'warning: liqmon.config.yaml:14:9  rules[1].to: every sink of rule `muted` is off (paused), so its alerts are not sent',
      'warning: liqmon.config.yaml:22:11  rules[4].name: rule `shadowed` is never reached: rule `rest` above it matches every event and has no `continue: true`; move it above `rest`, or give `rest` a `match`',
    ]);
  });

  it('exits 2 on the same warnings with --strict, and 0 on a config without warnings', async () => {
    const strict = await validate(linted, ['--strict']);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toBe('liqmon: 6 warnings, and --strict makes warnings fail validation\n');
    const clean = await validate(['sources:', '  binance: { use: binance }', 'sinks:', '  out: { use: console }', 'rules:', '  - { name: all, to: out }'], ['--strict']);
    expect(clean.stdout).not.toContain('warning:');
    expect(clean.code).toBe(0);
  });

  it('says a cascade keyed by nothing covers all markets', async () => {
    const { code, stdout } = await validate([
      'sources:',
      '  binance: { use: binance }',
      'sinks:',
      '  out: { use: console }',
      'rules:',
      '  - { name: anywhere, aggregate: { window: 60s, by: [], minUsd: 5M }, to: out }',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('  anywhere: cascade 60s over all markets at >= $5M -> out\n');
  });
});

describe('liqmon validate: limits and what code it runs', () => {
  it('refuses a duration longer than a timer can wait, for every kind of option, naming the limit', async () => {
    const { code, stderr } = await validate([
      'sources:',
      '  binance: { use: binance, exchangeInfoRefresh: 30d }',
      '  bybit: { use: bybit, refreshInterval: 30d }',
      'sinks:',
      '  telegram: { use: telegram, token: "123456:abcdefghij", chatId: "1", requestTimeout: 30d }',
      'rules:',
      '  - { name: a, cooldown: 30d, aggregate: { window: 25d }, to: telegram }',
      'shutdownTimeout: 30d',
      'delivery: { sendTimeout: 30d }',
    ]);
    expect(code).toBe(2);
    for (const path of [
      'sources.binance.exchangeInfoRefresh',
      'sources.bybit.refreshInterval',
      'sinks.telegram.requestTimeout',
      'rules[0].cooldown',
      'rules[0].aggregate.window',
      'shutdownTimeout',
      'delivery.sendTimeout',
    ]) {
      expect(stderr).toMatch(new RegExp(`:\\d+:\\d+  ${path.replace(/[[\].]/g, '\\$&')}: "\\d+d" is too long: a duration can be at most 2147483647ms`));
    }
  });

  it('ends a YAML alias bomb as "config too complex", exit 2', async () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i += 1) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const { code, stderr } = await validate(lines);
    expect(code).toBe(2);
    expect(stderr).toContain('config too complex');
    expect(stderr).not.toContain('unexpected error');
  });

  it('does not run code from a data: URL in use:, even to validate', async () => {
    const dir = await tempDir();
    const mark = join(dir, 'ran');
    const code = `import('node:fs').then((fs) => fs.writeFileSync(${JSON.stringify(mark)}, 'x'))`;
    const { code: exit, stderr } = await validate(['sources:', `  x: { use: "data:text/javascript,${encodeURIComponent(code)}" }`]);
    expect(exit).toBe(2);
    expect(stderr).toContain('sources.x.use: Module "data:..." is not a usable liqmon plugin: `use:` does not load URLs (data:).');
    expect(await readdir(dir)).toEqual([]);
  });

  it('does not load a config from a parent folder (nor run its plugin)', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'a', 'b', 'c'), { recursive: true });
    const mark = join(root, 'ran');
    await writeFile(join(root, 'a', 'plugin.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'x');\n`);
    await writeFile(join(root, 'a', 'config.yaml'), 'sources:\n  x: { use: ./plugin.mjs }\n');
    const { code, stderr } = await liqmonRun(['validate'], { cwd: join(root, 'a', 'b', 'c'), env: cleanEnv() });
    expect(code).toBe(2);
    expect(stderr).toContain('parent folders are not searched');
    expect(await readdir(root)).toEqual(['a']);
  });
});
