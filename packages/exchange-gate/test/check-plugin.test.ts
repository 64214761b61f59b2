/** The checks `liqmon check-plugin packages/exchange-gate` runs: golden files, conformance, live checks against the fake Gate. */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import gate from '../src/index.js';
import { gateCheckSpec } from '../src/testing/index.js';

it('passes every check of check-plugin, none skipped', async () => {
  const report = await checkPlugin({ definition: gate, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: gateCheckSpec() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
  expect(report.checks.map((check) => check.name)).toContain("keeps a quiet connection alive past the exchange's idle cut (800 ms without a ping or message)");
}, 60_000);
