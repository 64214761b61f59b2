/** The checks `liqmon check-plugin packages/exchange-htx` runs, through the API: golden files, conformance, live checks against the fake HTX. */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import htx from '../src/index.js';
import { htxLiveCheck } from '../src/testing/index.js';

it('passes every check of check-plugin, the live ones and the heartbeat past an idle cut included', async () => {
  const report = await checkPlugin({ definition: htx, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: htxLiveCheck() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
  expect(report.checks.map((check) => check.name)).toContain("keeps a quiet connection alive past the exchange's idle cut (800 ms without a ping or message)");
}, 60_000);
