/**
 * `liqmon check-plugin` of the built CLI: it passes the first-party sources and fails copies whose
 * decoder flips the side or scales the USD value, naming the frame (file:line), the field, the
 * expected and the actual value.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liqmonRun, REPO_ROOT } from './cli.js';

const pkg = (name: string) => path.join(REPO_ROOT, 'packages', name);
const golden = (name: string) => path.join(pkg(name), 'test', 'golden');

/** A plugin module that wraps a first-party source and changes every event its decoder gives. */
function wrapper(dir: string, file: string, plugin: string, change: string, name?: string): string {
  const entry = pathToFileURL(path.join(pkg(plugin), 'dist', 'index.js')).href;
  const target = path.join(dir, file);
  writeFileSync(
    target,
    [
      `import real from ${JSON.stringify(entry)};`,
      'const change = (e) => (' + change + ');',
      'export default {',
      '  ...real,',
      ...(name ? [`  name: ${JSON.stringify(name)},`] : []),
      '  create(options, context) {',
      '    const instance = real.create(options, context);',
      '    return { ...instance, decode: (frame) => instance.decode(frame).map(change) };',
      '  },',
      '};',
      '',
    ].join('\n'),
  );
  return target;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'liqmon-check-plugin-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('liqmon check-plugin', () => {
  it('passes the first-party sources and fails copies with an inverted side or a scaled USD value', async () => {
    const flipped = wrapper(dir, 'binance-flipped.mjs', 'exchange-binance', "{ ...e, side: e.side === 'long' ? 'short' : 'long' }");
    const scaled = wrapper(dir, 'bybit-scaled.mjs', 'exchange-bybit', '{ ...e, notionalUsd: e.notionalUsd * 100 }');
    // Concurrently: each run includes the live checks against the fake venue (a few seconds).
    const [binance, bybit, flip, scale] = await Promise.all([
      liqmonRun(['check-plugin', pkg('exchange-binance')]),
      liqmonRun(['check-plugin', pkg('exchange-bybit')]),
      liqmonRun(['check-plugin', flipped, '--golden', golden('exchange-binance')]),
      liqmonRun(['check-plugin', scaled, '--golden', golden('exchange-bybit')]),
    ]);

    expect(binance.code, binance.stdout + binance.stderr).toBe(0);
    expect(binance.stdout).toContain('✓ golden usdm.jsonl: 15 frame(s), 15 event(s) as expected\n');
    expect(binance.stdout).toContain("✓ keeps a quiet connection alive past the exchange's idle cut");
    expect(binance.stdout).toMatch(/\n\d+ hold, 0 fail, 0 skipped\n$/);
    expect(bybit.code, bybit.stdout + bybit.stderr).toBe(0);
    expect(bybit.stdout).toContain('✓ golden linear.jsonl: 9 frame(s), 10 event(s) as expected\n');

    expect(flip.code, flip.stdout + flip.stderr).toBe(1);
    expect(flip.stdout).toContain('✗ golden usdm.jsonl: 15 difference(s)\n');
    expect(flip.stdout).toContain('    usdm.jsonl:1 event 1 side: expected "short", got "long"\n');
    expect(flip.stdout).toContain('    usdm.jsonl:3 event 1 side: expected "long", got "short"\n');
    expect(flip.stdout).toContain('    coinm.jsonl:1 event 1 side: expected "long", got "short"\n');
    expect(flip.stdout).toMatch(/\n\d+ hold, [1-9]\d* fail, 0 skipped\n$/);

    expect(scale.code, scale.stdout + scale.stderr).toBe(1);
    expect(scale.stdout).toContain('✗ golden inverse.jsonl: 3 difference(s)\n');
    expect(scale.stdout).toContain('    inverse.jsonl:1 event 1 notionalUsd: expected 6949, got 694900\n');
    expect(scale.stdout).toMatch(/ {4}linear\.jsonl:7 event 2 notionalUsd: expected 3130\.98\d*, got 313098\.\d+\n/);
  });

  it('writes the expected files with --update, then passes them', async () => {
    const copy = path.join(dir, 'golden-copy');
    cpSync(golden('exchange-bybit'), copy, { recursive: true, filter: (src) => !src.endsWith('.expected.jsonl') });
    // Renamed, so no fake venue is known for it: the live checks are skipped (and the runs are quick).
    const plugin = wrapper(dir, 'bybit-renamed.mjs', 'exchange-bybit', 'e', 'bybit-copy');
    const before = await liqmonRun(['check-plugin', plugin, '--golden', copy]);
    expect(before.code).toBe(1);
    expect(before.stdout).toContain('    no linear.expected.jsonl: write it with LIQMON_GOLDEN_UPDATE=1 (or --update), then check it by hand\n');
    const update = await liqmonRun(['check-plugin', plugin, '--golden', copy, '--update']);
    expect(update.stdout).toContain('✓ golden linear.jsonl: 9 frame(s), 10 event(s), expected file written (review it)\n');
    expect(update.stdout).toMatch(/\n- live checks \(2\): no fake venue known for "bybit-copy"\n/);
    expect(update.code).toBe(0);
    const after = await liqmonRun(['check-plugin', plugin, '--golden', copy]);
    expect(after.stdout).toContain('✓ golden linear.jsonl: 9 frame(s), 10 event(s) as expected\n');
    expect(after.code).toBe(0);
  });

  it('exits 2 for a path that does not exist and for a module that is not a plugin', async () => {
    const missing = await liqmonRun(['check-plugin', path.join(dir, 'nope.mjs')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot be found');
    const notPlugin = path.join(dir, 'not-a-plugin.mjs');
    writeFileSync(notPlugin, 'export const answer = 42;\n');
    const invalid = await liqmonRun(['check-plugin', notPlugin]);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('is not a usable liqmon plugin');
  });
});
