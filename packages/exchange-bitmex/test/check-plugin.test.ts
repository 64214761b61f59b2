/**
 * What `liqmon check-plugin packages/exchange-bitmex` runs, through the API: the golden files and the
 * conformance kit, live against the fake BitMEX (subscribe, a liquidation, health, stop, the idle cut
 * kept past by text pings, reconnect after a drop).
 */
import { fileURLToPath } from 'node:url';
import { checkPlugin, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import bitmex from '../src/index.js';
import { bitmexCheckSpec } from '../src/testing/index.js';

it('passes every check of liqmon check-plugin', async () => {
  const report = await checkPlugin({ definition: bitmex, golden: fileURLToPath(new URL('./golden/', import.meta.url)), source: bitmexCheckSpec() });
  expect(report.checks.filter((check) => check.status === 'skip')).toEqual([]);
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
  // The keep-alive check ran: it names the fake's idle cut.
  expect(report.checks.map((check) => check.name).join('\n')).toMatch(/keeps a quiet connection alive past the exchange's idle cut \(800 ms/);
}, 60_000);
