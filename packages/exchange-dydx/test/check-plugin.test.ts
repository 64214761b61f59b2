/** Every check `liqmon check-plugin` runs (golden files, conformance, live checks against the fake dYdX v4). */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import dydx from '../src/index.js';
import { dydxCheckSpec } from '../src/testing/index.js';

it('passes check-plugin: golden, conformance, live, keepalive past the idle cut', async () => {
  const report = await checkPlugin({ definition: dydx, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: dydxCheckSpec() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
}, 60_000);
