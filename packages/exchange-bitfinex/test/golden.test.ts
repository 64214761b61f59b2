/** Golden files of the Bitfinex source: recorded frames and the events they must give (test/golden/README.md). */
import { fileURLToPath } from 'node:url';
import { checkGolden, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import bitfinex from '../src/index.js';

it('decodes every golden frame to exactly the expected events', async () => {
  const report = await checkGolden({ definition: bitfinex, dir: fileURLToPath(new URL('./golden/', import.meta.url)) });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
});
