/** Golden files of the HTX source: recorded frames and the events they must give, checked field by field (test/golden/README.md). */
import { fileURLToPath } from 'node:url';
import { checkGolden, formatCheckResults } from '@liqmon/core/testing';
import { expect, it } from 'vitest';
import htx from '../src/index.js';

it('decodes every golden frame to exactly the expected events', async () => {
  const report = await checkGolden({ definition: htx, dir: fileURLToPath(new URL('./golden/', import.meta.url)) });
  expect(report.ok, formatCheckResults(report.checks)).toBe(true);
});
