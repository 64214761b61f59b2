/** Every check `liqmon check-plugin` runs (golden files, conformance, live checks against the fake Bitfinex). */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import bitfinex from '../src/index.js';
import { bitfinexCheckSpec } from '../src/testing/index.js';

it('passes check-plugin: golden, conformance, live, keepalive past the idle cut', async () => {
  const report = await checkPlugin({ definition: bitfinex, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: bitfinexCheckSpec() });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
}, 60_000);
