/** Every check `liqmon check-plugin` runs (golden files, conformance, live checks against the fake Kraken Futures). */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import kraken from '../src/index.js';
import { krakenCheckSpec } from '../src/testing/index.js';

it('passes check-plugin: golden, conformance, live, keepalive past the idle cut', async () => {
  const report = await checkPlugin({ definition: kraken, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: krakenCheckSpec() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
}, 60_000);
