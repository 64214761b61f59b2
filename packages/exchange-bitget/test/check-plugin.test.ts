/** The checks `liqmon check-plugin packages/exchange-bitget` runs: golden files, conformance, live checks against the fake Bitget. */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import bitget from '../src/index.js';
import { bitgetCheckSpec } from '../src/testing/index.js';

it('passes every check of check-plugin, none skipped', async () => {
  const report = await checkPlugin({ definition: bitget, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: bitgetCheckSpec() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
  expect(report.checks.map((check) => check.name)).toContain("keeps a quiet connection alive past the exchange's idle cut (800 ms without a ping or message)");
}, 60_000);
